from django.urls import path

from work import api, views

urlpatterns = [
    path("", views.work_tray, name="home"),
    path("api/v1/my-work/", api.MyWorkView.as_view(), name="my_work_api"),
]
