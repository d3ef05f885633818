from django.urls import path

from reporting import api, views

urlpatterns = [
    path("reporting/dashboard/", views.dashboard, name="dashboard"),
    path("reporting/dashboard/cases/", views.dashboard_cases, name="dashboard_cases"),
    path("reporting/dashboard/requests/", views.dashboard_referrals, name="dashboard_referrals"),
    path("reporting/indicators/", views.indicator_list, name="indicators"),
    path("reporting/indicators.<str:fmt>", views.indicators_download, name="indicators_download"),
    path("reporting/signposting/", views.signposting_report, name="signposting_report"),
    path(
        "reporting/signposting.<str:fmt>",
        views.signposting_download,
        name="signposting_download",
    ),
    path("reporting/exports/", views.export_list, name="export_list"),
    path("reporting/exports/new/", views.export_start, name="export_start"),
    path("reporting/exports/<int:pk>/", views.export_status, name="export_status"),
    path("reporting/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("reporting/quality/sample/", views.qa_sample, name="qa_sample"),
    path("reporting/quality/cases/<int:case_id>/audit/", views.qa_audit_new, name="qa_audit_new"),
    path("reporting/quality/feedback/", views.qa_feedback, name="qa_feedback"),
    path(
        "reporting/quality/feedback/<int:pk>/", views.qa_feedback_detail, name="qa_feedback_detail"
    ),
    path("reporting/education-events/", views.education_import, name="education_import"),
    path("api/v1/education-events/", api.EducationEventsAPI.as_view(), name="api_education_events"),
    path("api/v1/reporting/indicators/", api.IndicatorsAPI.as_view(), name="api_indicators"),
    path("api/v1/reporting/caseload/", api.CaseloadAPI.as_view(), name="api_caseload"),
]
