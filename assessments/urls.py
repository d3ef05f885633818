from django.urls import path

from assessments import views

C = "cases/<int:case_id>/"

urlpatterns = [
    path(C + "assessment/", views.assessment_detail, name="assessment_detail"),
    path(C + "assessment/start/", views.start_assessment, name="start_assessment"),
    path(C + "assessment/edit/", views.edit_assessment, name="edit_assessment"),
    path(C + "assessment/sign-off/", views.sign_off_assessment, name="sign_off_assessment"),
    path(C + "assessment/new-version/", views.revise_assessment, name="revise_assessment"),
    path(
        C + "assessment/versions/<int:number>/",
        views.assessment_version,
        name="assessment_version",
    ),
    path(
        C + "assessment/compare/",
        views.compare_assessment_versions,
        name="compare_assessment_versions",
    ),
    path(C + "assessment/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path(C + "plan/", views.family_plan, name="family_plan"),
    path(C + "plan/outcomes/add/", views.add_plan_outcome, name="add_plan_outcome"),
    path(
        C + "plan/outcomes/<int:outcome_id>/actions/add/",
        views.add_plan_action,
        name="add_plan_action",
    ),
    path(
        C + "plan/actions/<int:action_id>/status/",
        views.set_action_status,
        name="set_action_status",
    ),
    path(C + "plan/pdf/", views.family_plan_pdf, name="family_plan_pdf"),
    path(C + "meetings/schedule/", views.schedule_taf_meeting, name="schedule_taf_meeting"),
    path(C + "meetings/<int:meeting_id>/", views.taf_meeting_detail, name="taf_meeting_detail"),
    path(
        C + "meetings/<int:meeting_id>/record/",
        views.record_taf_meeting,
        name="record_taf_meeting",
    ),
    path(C + "meetings/<int:meeting_id>/pdf/", views.review_pdf, name="review_pdf"),
    path(
        C + "meetings/<int:meeting_id>/move/",
        views.reschedule_taf_meeting,
        name="reschedule_taf_meeting",
    ),
    path(
        C + "meetings/<int:meeting_id>/cancel/",
        views.cancel_taf_meeting,
        name="cancel_taf_meeting",
    ),
    path(
        C + "assessment/contributors/invite/",
        views.invite_contributor,
        name="invite_contributor",
    ),
    path(C + "close/", views.close_case, name="close_case"),
    path("sign-off/", views.signoff_queue, name="signoff_queue"),
]
