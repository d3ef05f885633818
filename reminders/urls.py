from django.urls import path

from reminders import views

urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/preferences/messages/",
        views.message_preferences,
        name="message_preferences",
    ),
]
