"""Spreadsheet import (issue 19): an XLSX or CSV read, matched against an organization, shown as a
preview with every problem, and applied as one recorded revision. See docs/architecture.md,
"Spreadsheet import"."""
