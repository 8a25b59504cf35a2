"""REST API v1, one module per resource.

- `fields`: the serializer building blocks (strict text, visible ids and slugs, bilingual
  texts); `common`: ETag and `If-Match`, OpenAPI parameters, error schema, pagination, the
  write helper; `scoped`: the viewset of objects inside an organization; `filters`: list
  filters.
- Resources, each with its serializers and its viewset: `auth` (token), `organizations` (with
  clone; `members` and `tree` add their nested actions), `phases`, `departments`, `roles`,
  `collaborations`.
- `urls`: the routes, included by `teamorg.urls` under `/api/v1/`.
"""
