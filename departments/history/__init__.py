"""The design's history: every write recorded as a revision with its row changes.

- `tracking`: which tables are recorded and the database triggers that record them (SQLite and
  PostgreSQL), installed after every `migrate`.
- `recording`: the unit of work around a write (`design_write`, `open_revision`), who made it
  and through which channel, tree shapes, and refusing a write only when it changes a field
  someone else changed since the writer read the design.
- `replay`: the design's rows and tree shapes as they were at any revision.
"""
