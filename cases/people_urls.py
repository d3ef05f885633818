from django.urls import include, path

from cases import people_views, upkeep_views

# One person's record: /people/<pk>/...
person_pages = [
    path("", people_views.person_detail, name="person_detail"),
    path("who-has-seen/", people_views.person_audit, name="person_audit"),
    # Keeping records true (cases/upkeep.py)
    path("change/", upkeep_views.person_edit, name="person_edit"),
    path("birth/", upkeep_views.record_birth, name="record_birth"),
    path("restriction/", upkeep_views.restriction, {"kind": "person"}, name="person_restriction"),
]

# One household: /families/<pk>/...
family_pages = [
    path("", people_views.family_detail, name="family_detail"),
    path("change/", upkeep_views.family_edit, name="family_edit"),
    path("move/", upkeep_views.family_move, name="family_move"),
    path("moved-out/", upkeep_views.family_transfer_out, name="family_transfer_out"),
    path("members/add/", upkeep_views.member_add, name="member_add"),
    path("members/<int:membership_id>/remove/", upkeep_views.member_remove, name="member_remove"),
    path("restriction/", upkeep_views.restriction, {"kind": "family"}, name="family_restriction"),
]

urlpatterns = [
    path("people/<int:pk>/", include(person_pages)),
    path("families/<int:pk>/", include(family_pages)),
]
