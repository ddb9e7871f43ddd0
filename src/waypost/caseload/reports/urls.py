from django.urls import URLPattern, URLResolver, path

from waypost.caseload.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/new/", views.mine_new, name="mine_new"),
    path("clients/<int:enrollment_id>/reports/new/", views.new, name="new"),
    path("reports/<int:pk>/", views.show, name="show"),
    path("reports/<int:pk>/progress-report.pdf", views.pdf_file, name="pdf"),
    path(
        "clients/<int:enrollment_id>/export/waypost-record.json",
        views.export_json,
        name="export_json",
    ),
    path(
        "clients/<int:enrollment_id>/export/waypost-record-csv.zip",
        views.export_csv,
        name="export_csv",
    ),
]
