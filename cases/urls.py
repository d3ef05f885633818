from django.urls import include, path

from cases import queue_views, start_views, views

# What is done on one case: /cases/<case_id>/...
case_pages = [
    path("notes/add/", views.add_case_note, name="add_case_note"),
    path("notes/<int:entry_id>/correct/", views.correct_case_note, name="correct_case_note"),
    path("consent/add/", views.record_consent, name="record_consent"),
    path("consent/<int:consent_id>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("consent/none/", views.record_no_consent, name="record_no_consent"),
    path("team/add/", views.add_taf_member, name="add_taf_member"),
    path("team/<int:member_id>/remove/", views.remove_taf_member, name="remove_taf_member"),
    path("team/handover/", views.handover_lead_professional, name="handover_lead_professional"),
    path("step-up/", views.step_up_case, name="step_up_case"),
    path("step-down/", views.step_down_case, name="step_down_case"),
    path("level/", views.change_level_of_need, name="change_level_of_need"),
    path("closure/authorise/", queue_views.authorise_closure, name="authorise_closure"),
    path("allocate/", queue_views.allocate_case, name="allocate_case"),
    path("send-to-team/", queue_views.send_case_to_team, name="send_case_to_team"),
]

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/start/", start_views.start_early_help, name="start_early_help"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/", include(case_pages)),
    path("allocation/", queue_views.allocation_queue, name="allocation_queue"),
    path("closures/", queue_views.closure_queue, name="closure_queue"),
    path("step-ups/", queue_views.stepup_queue, name="stepup_queue"),
    path("step-ups/<int:pk>/", queue_views.stepup_decide, name="stepup_decide"),
]
