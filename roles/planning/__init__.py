"""Head-count planning: the plan and its costs, the hiring roadmap, health checks, comparison,
plots, downloads, their pages and their API.

    data.py           PlanData: one design as light rows (`organization_outline(with_plan=True)`)
                      + head count, line counts, combinable pairs
    plan.py           HeadcountPlan: roles × phases, department rollups, monthly cost
    roadmap.py        the hiring roadmap
    health_checks.py  the health checks, one function each, returning its findings
    health.py         HEALTH_CHECKS (their order, titles, explanations) and the report
    compare.py        two designs or two phases side by side, and the arguments asking for them
    plots.py          SVG plots of the plan and of a comparison
    overview.py       what the plan page shows, from one read
    exports.py        the CSV and XLSX downloads
    links.py          links from results to the pages of their nodes
    forms.py, views.py, api.py, serializers.py, urls.py: the pages and the API

Other packages import a name from the module that defines it, e.g.
`roles.planning.plan.organization_plan` and `roles.planning.plots.plan_svgs` (the handbook PDF
uses both).
"""
