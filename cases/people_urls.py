from django.urls import path

from cases import people_views

urlpatterns = [
    path("people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("people/<int:pk>/who-has-seen/", people_views.person_audit, name="person_audit"),
    path("families/<int:pk>/", people_views.family_detail, name="family_detail"),
]
