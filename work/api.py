"""GET /api/v1/my-work/: the signed-in user's work tray (issue 14; the path and the item
fields are a contract): each item's kind, due_date, overdue, working_days (left, negative
when overdue), case (reference) and url, overdue first."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partners import doors
from work.tray import work_tray_for


class MyWorkItem(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    due_date = serializers.DateField()
    overdue = serializers.BooleanField()
    working_days = serializers.IntegerField()
    case = serializers.SerializerMethodField()
    reference = serializers.CharField()
    url = serializers.CharField()
    significant_harm = serializers.BooleanField()
    detail = serializers.CharField()

    def get_case(self, item) -> str | None:
        return item.reference if item.case_id else None


class MyWorkOutput(serializers.Serializer):
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    results = MyWorkItem(many=True)


class MyWorkView(APIView):
    access_rule = doors.SIGNED_IN

    @extend_schema(responses=MyWorkOutput, summary="My work: everything due, overdue first")
    def get(self, request):
        tray = work_tray_for(request.user, today=timezone.localdate())
        return Response(
            MyWorkOutput(
                {"count": len(tray.items), "overdue": tray.overdue_count, "results": tray.items}
            ).data
        )
