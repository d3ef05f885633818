from django.urls import include, path

from assessments import views

# The casework on one case: /cases/<case_id>/...
case_pages = [
    path("assessment/", views.assessment_detail, name="assessment_detail"),
    path("assessment/start/", views.start_assessment, name="start_assessment"),
    path("assessment/edit/", views.edit_assessment, name="edit_assessment"),
    path("assessment/sign-off/", views.sign_off_assessment, name="sign_off_assessment"),
    path("assessment/new-version/", views.revise_assessment, name="revise_assessment"),
    path("assessment/versions/<int:number>/", views.assessment_version, name="assessment_version"),
    path(
        "assessment/compare/",
        views.compare_assessment_versions,
        name="compare_assessment_versions",
    ),
    path("assessment/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("assessment/contributors/invite/", views.invite_contributor, name="invite_contributor"),
    path("plan/", views.family_plan, name="family_plan"),
    path("plan/outcomes/add/", views.add_plan_outcome, name="add_plan_outcome"),
    path(
        "plan/outcomes/<int:outcome_id>/actions/add/",
        views.add_plan_action,
        name="add_plan_action",
    ),
    path("plan/actions/<int:action_id>/status/", views.set_action_status, name="set_action_status"),
    path("plan/pdf/", views.family_plan_pdf, name="family_plan_pdf"),
    path("meetings/schedule/", views.schedule_taf_meeting, name="schedule_taf_meeting"),
    path("meetings/<int:meeting_id>/", views.taf_meeting_detail, name="taf_meeting_detail"),
    path("meetings/<int:meeting_id>/record/", views.record_taf_meeting, name="record_taf_meeting"),
    path("meetings/<int:meeting_id>/pdf/", views.review_pdf, name="review_pdf"),
    path(
        "meetings/<int:meeting_id>/move/",
        views.reschedule_taf_meeting,
        name="reschedule_taf_meeting",
    ),
    path("meetings/<int:meeting_id>/cancel/", views.cancel_taf_meeting, name="cancel_taf_meeting"),
    path("close/", views.close_case, name="close_case"),
]

urlpatterns = [
    path("cases/<int:case_id>/", include(case_pages)),
    path("sign-off/", views.signoff_queue, name="signoff_queue"),
]
