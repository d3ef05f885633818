"""The same figures through the API, for partners' own reporting. Read-only; the same scope
and suppression as the pages (reporting/selectors.py); no names, ever."""

import datetime

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from earlyhelp.api_input import Input, calendar_date
from earlyhelp.audit import audit_many
from earlyhelp.models import AuditAction
from earlyhelp.small_numbers import SECONDARY_SUPPRESSED, SUPPRESSED
from partners import doors
from partners.models import Agency, District
from reporting import education, indicators, presenters
from reporting.models import EducationEventKind
from reporting.selectors import Period, reporting_scope_for


class _Filters(Input):
    start = calendar_date("Start date", required=False)
    end = calendar_date("End date", required=False)
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False
    )
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False)

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise ValidationError("Give both start and end (YYYY-MM-DD), or neither.")
        if start and end and end < start:
            raise ValidationError("end must be on or after start.")
        return data


# The responses as the schema describes them (the views build them as plain dicts).


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer"},
            {"type": "string", "enum": [SUPPRESSED, SECONDARY_SUPPRESSED]},
        ],
        "description": f"A count; for strategic viewers a small one is {SUPPRESSED!r} and one "
        f"that would reveal it {SECONDARY_SUPPRESSED!r}.",
    }
)
class SuppressibleCount(serializers.Field):
    pass


def _figures_as_at_field() -> serializers.DateTimeField:
    return serializers.DateTimeField(
        allow_null=True, help_text="When the summaries were refreshed; null: counted live"
    )


class IndicatorFigureOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = SuppressibleCount()
    denominator = SuppressibleCount(allow_null=True)
    percentage = serializers.FloatField(
        allow_null=True, help_text="null with no denominator, or when a count is suppressed"
    )
    note = serializers.CharField()


class IndicatorSectionOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    figures = IndicatorFigureOutput(many=True)


class IndicatorBreakdownOutput(serializers.Serializer):
    class BreakdownRowOutput(serializers.Serializer):
        group = serializers.CharField()
        children = SuppressibleCount()

    key = serializers.CharField()
    title = serializers.CharField()
    rows = BreakdownRowOutput(many=True)


class PeriodOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class IndicatorsOutput(serializers.Serializer):
    period = PeriodOutput()
    scope = serializers.ChoiceField(
        ["authority", "own"], help_text="authority: authority-wide, small counts suppressed"
    )
    district = serializers.CharField(allow_null=True, help_text="The district code asked for")
    suppressed = serializers.BooleanField()
    figures_as_at = _figures_as_at_field()
    sections = IndicatorSectionOutput(many=True)
    breakdowns = IndicatorBreakdownOutput(many=True)


class CaseloadOutput(serializers.Serializer):
    class CaseloadLevelOutput(serializers.Serializer):
        code = serializers.IntegerField()
        label = serializers.CharField()
        cases = serializers.IntegerField()

    class CaseloadWorkerOutput(serializers.Serializer):
        user_id = serializers.IntegerField(allow_null=True, help_text="null: not yet allocated")
        cases = serializers.IntegerField()

    class CaseloadAgencyOutput(serializers.Serializer):
        agency_id = serializers.IntegerField()
        name = serializers.CharField()
        cases = serializers.IntegerField()

    class CaseloadDistrictOutput(serializers.Serializer):
        district_id = serializers.IntegerField()
        name = serializers.CharField()
        cases = serializers.IntegerField()

    figures_as_at = _figures_as_at_field()
    open_cases = serializers.IntegerField()
    by_level_of_need = CaseloadLevelOutput(many=True)
    by_lead_professional = CaseloadWorkerOutput(many=True)
    by_agency = CaseloadAgencyOutput(many=True)
    by_district = CaseloadDistrictOutput(many=True)
    assessments_due = serializers.IntegerField()
    assessments_overdue = serializers.IntegerField()
    first_taf_overdue = serializers.IntegerField()
    reviews_due = serializers.IntegerField()
    reviews_overdue = serializers.IntegerField()
    requests_waiting = serializers.IntegerField()
    requests_overdue = serializers.IntegerField()


def _scope_and_period(request):
    filters = _Filters(data=request.query_params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    scope = reporting_scope_for(
        request.user, district=data.get("district"), agency=data.get("agency")
    )
    if data.get("start"):
        period = Period(data["start"], data["end"])
    else:
        today = datetime.date.today()
        period = Period(Period.quarter_of(today).start, today)
    return scope, period, data


def _audit_export(request, record_type: str) -> None:
    """Figures read through the API are audited as an export."""
    audit_many(request, AuditAction.EXPORT, record_type, reason="api")


class IndicatorsAPI(APIView):
    """GET /api/v1/reporting/indicators/?start=&end=&district=&agency=

    Each figure: key, label, value, denominator, percentage. Strategic viewers and
    administrators get authority-wide figures with counts under 5 as "<5"."""

    access_rule = doors.FIGURES

    @extend_schema(parameters=[_Filters], responses=IndicatorsOutput)
    def get(self, request):
        scope, period, data = _scope_and_period(request)
        as_at = indicators.summaries_as_at()
        sections = indicators.indicators_for(scope, period, live=as_at is None)
        _audit_export(request, "indicators")
        return Response(
            {
                "period": {"start": period.start, "end": period.end},
                "scope": "authority" if scope.aggregate_only else "own",
                "district": data["district"].code if data.get("district") else None,
                "suppressed": scope.suppress,
                "figures_as_at": as_at.refreshed_at if as_at else None,
                "sections": presenters.shown_sections(sections, suppressed=scope.suppress),
                "breakdowns": [
                    {
                        "key": b.key,
                        "title": b.title,
                        "rows": [
                            {"group": label, "children": n}
                            for label, n in indicators.suppress_rows(
                                b.rows, suppressed=scope.suppress
                            )
                        ],
                    }
                    for b in indicators.breakdowns_for(scope, period, live=as_at is None)
                ],
            }
        )


class CaseloadAPI(APIView):
    """GET /api/v1/reporting/caseload/?district=&agency= — a manager's caseload counts (no
    names: workers by id)."""

    access_rule = doors.MANAGERS

    @extend_schema(parameters=[_Filters], responses=CaseloadOutput)
    def get(self, request):
        scope, _period, _data = _scope_and_period(request)
        as_at = indicators.summaries_as_at()
        load = indicators.caseload_for(scope, datetime.date.today(), live=as_at is None)
        _audit_export(request, "caseload")
        return Response(
            {
                "figures_as_at": as_at.refreshed_at if as_at else None,
                "open_cases": load["total"],
                "by_level_of_need": [
                    {"code": code, "label": label, "cases": n}
                    for code, label, n in load["by_level"]
                ],
                "by_lead_professional": [
                    {"user_id": r["lead_professional_id"], "cases": r["n"]}
                    for r in load["by_worker"]
                ],
                "by_agency": [
                    {
                        "agency_id": r["lead_agency_id"],
                        "name": r["lead_agency__name"],
                        "cases": r["n"],
                    }
                    for r in load["by_agency"]
                ],
                "by_district": [
                    {"district_id": r["district_id"], "name": r["district__name"], "cases": r["n"]}
                    for r in load["by_district"]
                ],
                "assessments_due": load["assessments_due"],
                "assessments_overdue": load["assessments_overdue"],
                "first_taf_overdue": load["first_taf_overdue"],
                "reviews_due": load["reviews_due"],
                "reviews_overdue": load["reviews_overdue"],
                "requests_waiting": load["triage_waiting"],
                "requests_overdue": load["triage_overdue"],
            }
        )


# --- Education events: written by the education system (reporting/education.py) ---------


def _missing(field: str) -> dict:
    return dict.fromkeys(("required", "blank", "null"), education.MESSAGES[field])


class EducationEventInput(Input):
    """One event, as text: the service reads it exactly as a row of the import page's CSV
    file, with the same messages."""

    upn = serializers.CharField(
        help_text="The child's unique pupil number, like P801200120002",
        error_messages=_missing("upn"),
    )
    kind = serializers.ChoiceField(
        choices=EducationEventKind.choices,
        error_messages={**_missing("kind"), "invalid_choice": education.NOT_A_KIND},
    )
    occurred_on = serializers.CharField(
        help_text="YYYY-MM-DD (or DD/MM/YYYY); not in the future",
        error_messages=_missing("occurred_on"),
    )
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Where it came from; the service account's system if left out",
    )


class EducationEventErrors(serializers.Serializer):
    upn = serializers.ListField(child=serializers.CharField(), required=False)
    kind = serializers.ListField(child=serializers.CharField(), required=False)
    occurred_on = serializers.ListField(child=serializers.CharField(), required=False)
    source = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class EducationEventsRefusedOutput(serializers.Serializer):
    detail = serializers.CharField()
    events = EducationEventErrors(
        many=True,
        required=False,
        help_text="One entry for each event sent, in order: its problems by field "
        "(empty when it had none)",
    )


class EducationEventsLoadedOutput(serializers.Serializer):
    received = serializers.IntegerField()
    recorded = serializers.IntegerField()
    already_held = serializers.IntegerField(
        help_text="Sent again (the same child, kind and date): counted, not stored twice"
    )


def _refused(detail: str, events: list | None = None) -> Response:
    body = {"detail": detail} if events is None else {"detail": detail, "events": events}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class EducationEventsAPI(APIView):
    """POST /api/v1/education-events/ — requests for an EHC needs assessment and exclusions
    from the education system: one event or a list, each child matched by UPN. All or
    nothing: a 400 lists each event's problems by field. 201 when any event was recorded,
    200 when every one was already held."""

    access_rule = doors.EDUCATION_LOADERS

    @extend_schema(
        request=EducationEventInput(many=True),
        responses={
            201: EducationEventsLoadedOutput,
            200: EducationEventsLoadedOutput,
            400: EducationEventsRefusedOutput,
        },
    )
    def post(self, request):
        sent = request.data
        events = [sent] if isinstance(sent, dict) else sent
        if not isinstance(events, list) or not events:
            return _refused("Send one education event, or a list of them.")
        if len(events) > education.MAX_EVENTS:
            return _refused(f"Send at most {education.MAX_EVENTS} events at a time.")
        checked = EducationEventInput(data=events, many=True)
        if not checked.is_valid():
            errors = checked.errors  # DRF: {index: errors} of the events with problems
            by_event = [errors.get(i, {}) for i in range(len(events))]
            return _refused("Nothing was recorded: some events have problems.", by_event)
        try:
            loaded = education.education_events_record(
                acting_user=request.user,
                rows=checked.validated_data,
                source=request.user.full_name,
                request=request,
            )
        except education.EducationEventsRefused as refused:
            by_event = [{} for _ in events]
            for problem in refused.problems:
                by_event[problem.row - 1].setdefault(problem.column, []).append(problem.message)
            return _refused(str(refused), by_event)
        answer = status.HTTP_201_CREATED if loaded.recorded else status.HTTP_200_OK
        return Response(EducationEventsLoadedOutput(loaded).data, status=answer)
