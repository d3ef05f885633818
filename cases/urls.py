from django.urls import path

from cases import queue_views, start_views, views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/start/", start_views.start_early_help, name="start_early_help"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/notes/add/", views.add_case_note, name="add_case_note"),
    path(
        "cases/<int:case_id>/notes/<int:entry_id>/correct/",
        views.correct_case_note,
        name="correct_case_note",
    ),
    path("cases/<int:case_id>/consent/add/", views.record_consent, name="record_consent"),
    path(
        "cases/<int:case_id>/consent/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("cases/<int:case_id>/consent/none/", views.record_no_consent, name="record_no_consent"),
    path("cases/<int:case_id>/team/add/", views.add_taf_member, name="add_taf_member"),
    path(
        "cases/<int:case_id>/team/<int:member_id>/remove/",
        views.remove_taf_member,
        name="remove_taf_member",
    ),
    path(
        "cases/<int:case_id>/team/handover/",
        views.handover_lead_professional,
        name="handover_lead_professional",
    ),
    path("cases/<int:case_id>/step-up/", views.step_up_case, name="step_up_case"),
    path("cases/<int:case_id>/step-down/", views.step_down_case, name="step_down_case"),
    path("cases/<int:case_id>/level/", views.change_level_of_need, name="change_level_of_need"),
    path("allocation/", queue_views.allocation_queue, name="allocation_queue"),
    path("closures/", queue_views.closure_queue, name="closure_queue"),
    path(
        "cases/<int:case_id>/closure/authorise/",
        queue_views.authorise_closure,
        name="authorise_closure",
    ),
    path("cases/<int:case_id>/allocate/", queue_views.allocate_case, name="allocate_case"),
    path(
        "cases/<int:case_id>/send-to-team/",
        queue_views.send_case_to_team,
        name="send_case_to_team",
    ),
    path("step-ups/", queue_views.stepup_queue, name="stepup_queue"),
    path("step-ups/<int:pk>/", queue_views.stepup_decide, name="stepup_decide"),
]
