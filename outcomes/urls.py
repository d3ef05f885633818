from django.urls import path

from outcomes import api, views

C = "cases/<int:pk>/outcomes/"

urlpatterns = [
    path("outcomes/", views.outcomes_dashboard, name="outcomes_dashboard"),
    path("outcomes/families/", views.programme_families, name="programme_families"),
    path("outcomes/claims/", views.claim_list, name="claim_list"),
    path("outcomes/claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("outcomes/claims/sample/", views.sample_claims, name="sample_claims"),
    path("outcomes/batches/", views.create_batch, name="create_batch"),
    path("outcomes/batches/<int:pk>/", views.claim_batch, name="claim_batch"),
    path("outcomes/return/", views.quarterly_return, name="outcomes_return"),
    path("outcomes/return/columns/", views.return_columns, name="return_columns"),
    path("outcomes/plan/", views.outcomes_plan, name="outcomes_plan"),
    path("outcomes/plan/new-version/", views.new_plan_version, name="new_plan_version"),
    path(C, views.case_outcomes, name="case_outcomes"),
    path(C + "needs/add/", views.add_need, name="add_need"),
    path(C + "needs/from-assessment/", views.needs_from_assessment, name="needs_from_assessment"),
    path(C + "needs/<int:need_id>/progress/", views.record_progress, name="record_progress"),
    path(C + "family-hub/", views.set_family_hub, name="set_family_hub"),
    path(C + "network-meetings/add/", views.add_network_meeting, name="add_network_meeting"),
    path(C + "claim/", views.prepare_claim, name="prepare_claim"),
    # API (contract: issue 15)
    path(
        "api/v1/outcomes/families/",
        api.ProgrammeFamiliesApi.as_view(),
        name="api_outcomes_families",
    ),
    path("api/v1/outcomes/claims/", api.ClaimsApi.as_view(), name="api_outcomes_claims"),
]
