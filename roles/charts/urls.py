"""The chart file URL, included by name from `teamorg/urls.py`."""

from django.urls import re_path

from roles.charts import views as chart_views

app_name = "charts"

urlpatterns = [
    re_path(
        r"^orgs/(?P<slug>[-a-zA-Z0-9_]+)/chart\.(?P<fmt>svg|png|pdf)$",
        chart_views.chart_file,
        name="chart-file",
    ),
]
