from django.urls import path

from records import views

urlpatterns = [
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/merges/", views.person_merges, name="person_merges"),
    path("people/<int:pk>/merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("people/<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path(
        "people/<int:pk>/subject-access.<str:fmt>",
        views.subject_access_download,
        name="subject_access_download",
    ),
    path("retention/", views.retention_list, name="retention_list"),
    path("retention/<int:review_id>/", views.retention_decide, name="retention_decide"),
]
