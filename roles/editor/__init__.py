"""The browser pages and the editor.

- `pages`: the dashboard, a new organization (empty or a copy), a design's overview;
- `editor`: the editor page and its endpoints for the two trees (add, rename, move, delete),
  which `kinds` describes as one table;
- `role_form`: a role's fields and ordered lines; `headcount_grid`: the head-count cells;
- `decorators` (sign-in, rights, the page's revision, the one error path) and `responses` (the
  htmx answers) around every endpoint; `context`: what the pages show of a design;
- `forms`, `urls`.

Rules live in the services (`roles.services.role_lines`, `roles.services.headcount`, ...),
reads in the selectors (`roles.selectors.organization_design`, `roles.selectors.dashboard`).
"""
