"""The history pages: every revision of a design as readable lines (`lines`), the timeline and
its filters (`timeline`), the net change between two revisions (`compare`), and the pages that
show them and restore or take back a revision (`views`, `urls`)."""
