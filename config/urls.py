from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from assessments.api import (
    AssessmentViewSet,
    CaseClosureViewSet,
    FamilyPlanViewSet,
    ReviewViewSet,
)
from cases import audit_views
from cases.api import CaseViewSet, FamilyViewSet, PersonViewSet, StepUpRequestViewSet
from earlyhelp import views
from earlyhelp.wording import term_lazy
from partners import doors
from referrals.api import ReferralViewSet, TriageViewSet

# No `.json` suffix routes: one URL per resource, and no action can be reached with an
# argument it does not take.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("people", PersonViewSet, basename="person")
router.register("families", FamilyViewSet, basename="family")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("triage", TriageViewSet, basename="triage")
router.register("cases", CaseViewSet, basename="case")
router.register("step-ups", StepUpRequestViewSet, basename="step-up")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("plans", FamilyPlanViewSet, basename="plan")
router.register("reviews", ReviewViewSet, basename="review")
router.register("closures", CaseClosureViewSet, basename="closure")
router.APIRootView.access_rule = doors.SIGNED_IN


class SchemaView(SpectacularAPIView):
    access_rule = doors.SIGNED_IN


class SchemaDocsView(SpectacularSwaggerSplitView):
    access_rule = doors.SIGNED_IN


admin.site.site_header = format_lazy("{} administration", term_lazy("Early help"))
admin.site.site_title = admin.site.site_header

urlpatterns = [
    path("", include("work.urls")),
    path("health/", views.health, name="health"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-in/two-factor/", views.two_factor, name="two_factor"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("my-activity/", views.my_activity, name="my_activity"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("audit/", audit_views.audit_search, name="audit_search"),
    path("audit/users/<int:pk>/", audit_views.user_activity, name="user_activity"),
    path("break-glass/", audit_views.break_glass, name="break_glass"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open_notification"),
    path("", include("cases.urls")),
    path("", include("cases.people_urls")),
    path("", include("referrals.urls")),
    path("", include("assessments.urls")),
    path("", include("reporting.urls")),
    path("", include("reminders.urls")),
    path("", include("records.urls")),
    path("", include("oversight.urls")),
    path("", include("outcomes.urls")),
    path("", include("directory.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", SchemaDocsView.as_view(url_name="api_schema"), name="api_docs"),
]

handler403 = "earlyhelp.views.permission_denied"
handler404 = "earlyhelp.views.page_not_found"
handler500 = "earlyhelp.views.server_error"
