from django.urls import path

from cases import people_views, upkeep_views

urlpatterns = [
    path("people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("people/<int:pk>/who-has-seen/", people_views.person_audit, name="person_audit"),
    path("families/<int:pk>/", people_views.family_detail, name="family_detail"),
    # Keeping records true (cases/upkeep.py)
    path("people/<int:pk>/change/", upkeep_views.person_edit, name="person_edit"),
    path("people/<int:pk>/birth/", upkeep_views.record_birth, name="record_birth"),
    path("families/<int:pk>/change/", upkeep_views.family_edit, name="family_edit"),
    path("families/<int:pk>/move/", upkeep_views.family_move, name="family_move"),
    path(
        "families/<int:pk>/moved-out/",
        upkeep_views.family_transfer_out,
        name="family_transfer_out",
    ),
    path("families/<int:pk>/members/add/", upkeep_views.member_add, name="member_add"),
    path(
        "families/<int:pk>/members/<int:membership_id>/remove/",
        upkeep_views.member_remove,
        name="member_remove",
    ),
    path(
        "people/<int:pk>/restriction/",
        upkeep_views.restriction,
        {"kind": "person"},
        name="person_restriction",
    ),
    path(
        "families/<int:pk>/restriction/",
        upkeep_views.restriction,
        {"kind": "family"},
        name="family_restriction",
    ),
]
