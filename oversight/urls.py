from django.urls import path

from oversight import views

urlpatterns = [
    path(
        "cases/<int:case_id>/supervision/record/",
        views.record_supervision,
        name="record_supervision",
    ),
    path("consultations/", views.consultation_log, name="consultation_log"),
    path("consultations/new/", views.record_consultation, name="record_consultation"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
]
