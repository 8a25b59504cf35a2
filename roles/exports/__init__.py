"""Long exports as background jobs: the handbook, the printed chart, the plan as XLSX.

A request makes (or joins) an `ExportJob` for the design's current revision; a worker renders
it, reporting its progress to the job's row, and stores the file there. The worker is Celery on
Redis when `CELERY_BROKER_URL` is set, otherwise a child process of the web process
(`roles.exports.runner`). Kept free of model imports at package level: `roles.exports.child`
is imported by a fresh process before Django is set up.
"""
