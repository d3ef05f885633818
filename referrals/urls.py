from django.urls import path

from referrals import views

urlpatterns = [
    path("requests/", views.referral_list, name="referral_list"),
    path("requests/new/", views.referral_start, name="referral_start"),
    path("requests/step-down/", views.step_down_start, name="step_down_start"),
    path("requests/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("requests/<int:pk>/edit/", views.referral_edit, name="referral_edit"),
    path("requests/<int:pk>/sent/", views.referral_sent, name="referral_sent"),
    path("requests/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("front-door/", views.triage_queue, name="triage_queue"),
    path("front-door/<int:pk>/pick-up/", views.referral_pick_up, name="referral_pick_up"),
    path("front-door/<int:pk>/release/", views.referral_release, name="referral_release"),
    path("front-door/<int:pk>/match/", views.referral_match, name="referral_match"),
    path("front-door/<int:pk>/decide/", views.referral_decide, name="referral_decide"),
    path("front-door/people/", views.person_search, name="person_search"),
]
