"""Assessments, family plans and TAF meetings (reviews) for partner systems, under the same
access rules and services as the pages (cases/access.py, assessments/services.py).

Lists start from the caller's case scope (one query per page, no per-row checks); a single
record goes through its case's get_case_for, so an id out of scope is a 404 and a restricted
family a 403. Every retrieve is audited; writes are audited by the services."""

from functools import partial

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments import selectors, services
from assessments.models import (
    Assessment,
    Attendance,
    FamilyPlan,
    MeetingDecision,
    PlanAction,
    PlanOutcome,
    TafMeeting,
)
from cases import restriction
from cases import selectors as case_selectors
from cases.models import MAX_TEXT, ClosureReason, FamilyView
from directory.serializers import (
    FIELD,
    services_from_ids,
    signposted_services_checked,
    signposted_services_field,
    signposted_services_output,
)
from earlyhelp.api import ErrorOutput
from earlyhelp.api_input import Input, calendar_date, valid_input
from earlyhelp.audit import audit
from earlyhelp.errors import FieldErrors
from earlyhelp.models import AuditAction
from partners import doors


class _ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """List from the scoped queryset; retrieve through get_*_for, audited as a view."""

    access_rule = doors.CASE_WORKERS
    lookup_value_regex = r"\d+"

    def scoped(self):
        raise NotImplementedError

    def get_one(self, pk):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped()

    def get_object(self):
        record = self.get_one(self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit(user=request.user, action=AuditAction.VIEW, record=record, request=request)
        return Response(self.get_serializer(record).data)

    def _work_case(self, record):
        """The record's case if the caller may record work on it (403 if read-only)."""
        return case_selectors.get_case_for_work(self.request.user, record.case_id)


# --- Early Help Assessment -------------------------------------------------------------------


class AssessmentViewSet(_ScopedReadViewSet):
    filterset_fields = ["status"]

    class AssessmentOutput(serializers.ModelSerializer):
        case = serializers.CharField(source="case.reference")
        case_id = serializers.IntegerField()
        needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
        # null until someone saves (or submits) it
        last_saved_by = serializers.CharField(
            source="last_saved_by.full_name", default=None, allow_null=True
        )
        submitted_by = serializers.CharField(
            source="submitted_by.full_name", default=None, allow_null=True
        )

        class Meta:
            model = Assessment
            fields = [
                "id",
                "case",
                "case_id",
                "status",
                "version_number",
                "lock_version",
                "content",
                "needs",
                "started_on",
                "due_on",
                "submitted_at",
                "submitted_by",
                "last_saved_at",
                "last_saved_by",
            ]

    class AssessmentDraftInput(Input):
        lock_version = serializers.IntegerField(
            min_value=1, help_text="The lock_version you read; a stale one is a 409."
        )
        content = serializers.DictField(
            child=serializers.CharField(allow_blank=True, max_length=MAX_TEXT),
            help_text="Assessment fields to change, by key (see assessments/sections.py).",
        )
        need_ids = serializers.ListField(
            child=serializers.IntegerField(), required=False, default=None, allow_null=True
        )

    serializer_class = AssessmentOutput

    def scoped(self):
        return selectors.assessments_visible_to(self.request.user)

    def get_one(self, pk):
        return selectors.get_assessment_for(self.request.user, pk)

    @extend_schema(
        request=AssessmentDraftInput,
        responses={200: AssessmentOutput, 409: ErrorOutput},
        description="Save the draft with optimistic locking: 409 if someone saved since the "
        "lock_version you send.",
    )
    @action(detail=True, methods=["post"], url_path="draft")
    def save_draft(self, request, pk=None, format=None):
        assessment = self.get_object()
        self._work_case(assessment)
        data = valid_input(self.AssessmentDraftInput, request)
        # A stale lock_version is an EditConflict: a 409 (earlyhelp.api.exception_handler).
        saved = services.assessment_save(
            assessment=assessment, acting_user=request.user, request=request, **data
        )
        return Response(
            self.AssessmentOutput(selectors.get_assessment_for(request.user, saved.pk)).data
        )

    class SubmitInput(Input):
        lock_version = serializers.IntegerField(min_value=1)

    class SignOffInput(Input):
        comment = serializers.CharField(
            max_length=MAX_TEXT, required=False, default="", allow_blank=True
        )

    @extend_schema(request=SubmitInput, responses={200: AssessmentOutput, 409: ErrorOutput})
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request, pk=None):
        """Submit the draft for a manager's sign-off (the managers are told)."""
        assessment = self.get_object()
        self._work_case(assessment)
        data = valid_input(self.SubmitInput, request)
        services.assessment_submit(
            assessment=assessment, acting_user=request.user, request=request, **data
        )
        return Response(self.AssessmentOutput(selectors.get_assessment_for(request.user, pk)).data)

    @extend_schema(request=SignOffInput, responses={200: AssessmentOutput})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """Sign off a submitted assessment (a team manager for the case, not its author)."""
        return self._decide(request, pk, services.assessment_sign_off)

    @extend_schema(request=SignOffInput, responses={200: AssessmentOutput})
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_changes(self, request, pk=None):
        """Return a submitted assessment to its author with what to change."""
        return self._decide(request, pk, services.assessment_return)

    def _decide(self, request, pk, decide):
        """A manager's decision on a submitted assessment, with their comment."""
        assessment = self.get_object()
        data = valid_input(self.SignOffInput, request)
        decide(assessment=assessment, acting_user=request.user, request=request, **data)
        return Response(self.AssessmentOutput(selectors.get_assessment_for(request.user, pk)).data)


# --- Family plan --------------------------------------------------------------------------


class FamilyPlanViewSet(_ScopedReadViewSet):
    class FamilyPlanOutput(serializers.ModelSerializer):
        class PlanOutcomeOutput(serializers.ModelSerializer):
            class PlanActionOutput(serializers.ModelSerializer):
                owner = serializers.CharField(source="owner_name")
                signposted_services = signposted_services_output(source="services")

                class Meta:
                    model = PlanAction
                    fields = [
                        "id",
                        "what",
                        "owner",
                        "set_on",
                        "due_on",
                        "status",
                        "completed_on",
                        "signposted_services",
                    ]

            needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
            actions = PlanActionOutput(many=True)

            class Meta:
                model = PlanOutcome
                fields = ["id", "text", "priority", "baseline_scaling", "needs", "actions"]

        case = serializers.CharField(source="case.reference")
        case_id = serializers.IntegerField()
        outcomes = PlanOutcomeOutput(many=True)

        class Meta:
            model = FamilyPlan
            fields = [
                "id",
                "case",
                "case_id",
                "created_on",
                "first_taf_due_on",
                "agreed_on",
                "version_number",
                "outcomes",
            ]

    serializer_class = FamilyPlanOutput

    def scoped(self):
        return selectors.plans_visible_to(self.request.user)

    def get_one(self, pk):
        return selectors.get_plan_for(self.request.user, pk)

    class ActionInput(Input):
        labels = {"what": "Action"}

        outcome = serializers.IntegerField(help_text="The plan outcome the action is for.")
        what = serializers.CharField(max_length=MAX_TEXT)
        owner = serializers.CharField(
            max_length=20, help_text='"family", or the id of a current TAF member.'
        )
        due_on = calendar_date("Date it is due by")
        signposted_services = signposted_services_field()

        def validate_outcome(self, outcome_id):
            outcome = (
                self.context["plan"].outcomes.filter(pk=outcome_id, removed_on__isnull=True).first()
            )
            if outcome is None:
                raise serializers.ValidationError("Not an outcome of this plan")
            return outcome

        def validate_signposted_services(self, ids):
            return signposted_services_checked(ids, district_id=self.context["case"].district_id)

        def validate_owner(self, owner):
            """None for the family, else the TAF member (checked with the other fields)."""
            if owner == "family":
                return None
            members = case_selectors.taf_members_for(self.context["case"])
            member = next((m for m in members if str(m.pk) == owner), None)
            if member is None:
                raise serializers.ValidationError(
                    'Give "family" or the id of a current member of the TAF'
                )
            return member

    @extend_schema(request=ActionInput, responses={201: FamilyPlanOutput})
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request, pk=None):
        """Add an action to one of the plan's outcomes, with the directory services it uses
        (as the plan page's "Add an action")."""
        plan = self.get_object()
        case = self._work_case(plan)
        data = valid_input(self.ActionInput, request, plan=plan, case=case)
        services.action_add(
            outcome=data["outcome"],
            acting_user=request.user,
            what=data["what"],
            due_on=data["due_on"],
            owner_member=data["owner"],
            owner_is_family=data["owner"] is None,
            services=data["signposted_services"],
            request=request,
        )
        return Response(
            self.FamilyPlanOutput(selectors.get_plan_for(request.user, pk)).data,
            status=status.HTTP_201_CREATED,
        )

    class ActionStatusInput(Input):
        status = serializers.ChoiceField(choices=["in_progress", "done", "stopped"])

    @extend_schema(request=ActionStatusInput, responses={200: FamilyPlanOutput})
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_id>\d+)/status")
    def action_status(self, request, pk=None, action_id=None):
        """Move a plan action on: in progress, done, or no longer needed."""
        plan = self.get_object()
        self._work_case(plan)
        action = PlanAction.objects.filter(pk=action_id, outcome__plan=plan).first()
        if action is None:
            raise exceptions.NotFound()
        data = valid_input(self.ActionStatusInput, request)
        services.action_status_set(action=action, acting_user=request.user, request=request, **data)
        return Response(self.FamilyPlanOutput(selectors.get_plan_for(request.user, pk)).data)


# --- TAF meetings and reviews ---------------------------------------------------------------


def _hidden_attendees(context, meetings) -> dict[int, str]:
    request = context.get("request")
    user = request.user if request is not None else None
    return restriction.people_labels(
        user, (row.person_id for m in meetings for row in m.attendance.all())
    )


def _known_rows(rows: list, look_up, shaped) -> list:
    """Input rows that each name a record by id: `look_up(row)` gives (the id's field, the
    record or None, its key), `shaped(row, key, record)` the row for the service. A 400
    naming each row with an unknown id by its index, as DRF names a list's wrong items."""
    found, errors = [], {}
    for index, row in enumerate(rows):
        field, record, key = look_up(row)
        if record is None:
            errors[str(index)] = {field: [f"Unknown {field} {row[field]}."]}
        else:
            found.append(shaped(row, key, record))
    if errors:
        raise serializers.ValidationError(errors)
    return found


class ReviewListOutput(serializers.ListSerializer):
    def to_representation(self, data):
        meetings = list(data.all() if hasattr(data, "all") else data)
        self.context["hidden_people"] = _hidden_attendees(self.context, meetings)
        return super().to_representation(meetings)


class ReviewViewSet(_ScopedReadViewSet):
    """TAF meetings: the first (agrees the plan) and the reviews every 4 to 6 weeks."""

    filterset_fields = ["status", "kind"]

    class ReviewOutput(serializers.ModelSerializer):
        class ReviewAttendanceOutput(serializers.Serializer):
            name = serializers.CharField()
            attendance = serializers.CharField()

        class ReviewProgressOutput(serializers.Serializer):
            outcome_id = serializers.IntegerField()
            scaling = serializers.IntegerField()
            distance_travelled = serializers.IntegerField(allow_null=True)
            comment = serializers.CharField()

        case = serializers.CharField(source="case.reference")
        case_id = serializers.IntegerField()
        attendance = ReviewAttendanceOutput(many=True)
        progress = ReviewProgressOutput(many=True)
        recorded_by = serializers.CharField(
            source="recorded_by.full_name", default=None, allow_null=True
        )

        def to_representation(self, meeting):
            """An attendee restricted from the reader is named as whom to contact
            (cases/restriction.py); a list masks all its meetings in two queries."""
            data = super().to_representation(meeting)
            hidden = self.context.get("hidden_people")
            if hidden is None:
                hidden = _hidden_attendees(self.context, [meeting])
            for shown, row in zip(data["attendance"], meeting.attendance.all(), strict=True):
                if row.person_id in hidden:
                    shown["name"] = hidden[row.person_id]
            return data

        class Meta:
            list_serializer_class = ReviewListOutput
            model = TafMeeting
            fields = [
                "id",
                "case",
                "case_id",
                "kind",
                "status",
                "scheduled_for",
                "starts_at",
                "duration_minutes",
                "change_reason",
                "held_on",
                "location",
                "discussion",
                "child_voice",
                "decision",
                "decision_reason",
                "next_review_on",
                "attendance",
                "progress",
                "recorded_by",
                "recorded_at",
            ]

    class ReviewRecordInput(Input):
        class ReviewAttendanceInput(Input):
            member_id = serializers.IntegerField(required=False, allow_null=True, default=None)
            person_id = serializers.IntegerField(required=False, allow_null=True, default=None)
            attendance = serializers.ChoiceField(Attendance.choices)

            def validate(self, data):
                if (data["member_id"] is None) == (data["person_id"] is None):
                    raise serializers.ValidationError(
                        "Give either member_id (a TAF member) or person_id (a family member)."
                    )
                return data

        class ReviewProgressInput(Input):
            outcome_id = serializers.IntegerField()
            scaling = serializers.IntegerField(min_value=0, max_value=10)
            comment = serializers.CharField(
                max_length=MAX_TEXT, allow_blank=True, required=False, default=""
            )

        labels = {"child_voice": "Child's voice"}
        held_on = calendar_date("Date the meeting was held")
        decision = serializers.ChoiceField(MeetingDecision.choices)
        decision_reason = serializers.CharField(
            max_length=MAX_TEXT, allow_blank=True, required=False, default=""
        )
        discussion = serializers.CharField(
            max_length=MAX_TEXT, allow_blank=True, required=False, default=""
        )
        child_voice = serializers.CharField(
            max_length=MAX_TEXT, allow_blank=True, required=False, default=""
        )
        next_review_on = calendar_date(
            "Date of the next review", required=False, allow_null=True, default=None
        )
        attendance = ReviewAttendanceInput(many=True, required=False, default=list)
        progress = ReviewProgressInput(many=True, required=False, default=list)

        # context: the case's TAF `members`, family `people` and plan `outcomes`, by id. A
        # row naming someone (or an outcome) not among them is named, every such row at once.
        def validate_attendance(self, rows):
            members, people = self.context["members"], self.context["people"]
            return _known_rows(
                rows,
                lambda row: (
                    ("member_id", members.get(row["member_id"]), "member")
                    if row["member_id"] is not None
                    else ("person_id", people.get(row["person_id"]), "person")
                ),
                lambda row, key, found: {
                    key: found,
                    "name": found.name if key == "member" else found.full_name,
                    "attendance": row["attendance"],
                },
            )

        def validate_progress(self, rows):
            outcomes = self.context["outcomes"]
            return _known_rows(
                rows,
                lambda row: ("outcome_id", outcomes.get(row["outcome_id"]), "outcome"),
                lambda row, key, found: {
                    key: found,
                    "scaling": row["scaling"],
                    "comment": row["comment"],
                },
            )

    serializer_class = ReviewOutput

    def scoped(self):
        return selectors.meetings_visible_to(self.request.user)

    def get_one(self, pk):
        return selectors.get_meeting_for(self.request.user, pk)

    @extend_schema(request=ReviewRecordInput, responses={200: ReviewOutput})
    @action(detail=True, methods=["post"], url_path="record")
    def record(self, request, pk=None, format=None):
        """Record a held meeting: attendance, progress on each outcome, the decision and the
        next review (assessments.services.meeting_record decides what is allowed)."""
        meeting = self.get_object()
        case = self._work_case(meeting)
        plan = selectors.plan_for(case)
        data = valid_input(
            self.ReviewRecordInput,
            request,
            members={m.pk: m for m in case_selectors.taf_members_for(case)},
            people={m.person_id: m.person for m in case_selectors.family_members(case)},
            outcomes={o.pk: o for o in plan.outcomes.all()} if plan else {},
        )
        services.meeting_record(meeting=meeting, acting_user=request.user, request=request, **data)
        return Response(self.get_serializer(self.get_one(meeting.pk)).data)

    class ReviewRescheduleInput(Input):
        labels = {"starts_at": "Start time"}

        scheduled_for = calendar_date("New date of the meeting")
        starts_at = serializers.TimeField(required=False, allow_null=True, default=None)
        location = serializers.CharField(
            max_length=200, allow_blank=True, required=False, default=None
        )
        reason = serializers.CharField(max_length=MAX_TEXT)

    class ReviewCancelInput(Input):
        reason = serializers.CharField(max_length=MAX_TEXT)

    @extend_schema(request=ReviewRescheduleInput, responses={200: ReviewOutput})
    @action(detail=True, methods=["post"], url_path="reschedule")
    def reschedule(self, request, pk=None):
        """Move a scheduled meeting, with the reason; every member is told (with a calendar
        update). Allowed from: scheduled (assessments.services.RESCHEDULE_FROM)."""
        return self._change(request, self.ReviewRescheduleInput, services.meeting_reschedule)

    @extend_schema(request=ReviewCancelInput, responses={200: ReviewOutput})
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, pk=None):
        """Cancel a scheduled meeting, with the reason; every member is told. Allowed from:
        scheduled (assessments.services.CANCEL_FROM)."""
        return self._change(request, self.ReviewCancelInput, services.meeting_cancel)

    def _change(self, request, input_class, change):
        """Change a scheduled meeting with `change`, the service taking the input as it is."""
        meeting = self.get_object()
        self._work_case(meeting)
        data = valid_input(input_class, request)
        change(meeting=meeting, acting_user=request.user, request=request, **data)
        return Response(self.get_serializer(self.get_one(meeting.pk)).data)


# --- Closure ------------------------------------------------------------------------------


class CaseClosureViewSet(viewsets.ViewSet):
    """Close a case with a result for each plan outcome: the same service as the closure
    page (assessments.services.case_close_with_plan)."""

    access_rule = doors.CASE_WORKERS

    class ClosureInput(Input):
        class OutcomeResultInput(Input):
            outcome = serializers.IntegerField()
            result = serializers.ChoiceField(choices=list(services.OUTCOME_RESULTS))
            comment = serializers.CharField(
                max_length=MAX_TEXT, required=False, default="", allow_blank=True
            )

        case = serializers.IntegerField()
        # Codes, with the words cases.services.closure_check says a wrong one in.
        reason = serializers.ChoiceField(
            ClosureReason.choices,
            error_messages={"invalid_choice": "Choose the reason for closing the case."},
        )
        closed_on = calendar_date("Closure date")
        family_view = serializers.ChoiceField(
            FamilyView.choices,
            error_messages={
                "invalid_choice": "Say whether the family feels family life has improved."
            },
        )
        family_view_text = serializers.CharField(
            max_length=MAX_TEXT, required=False, default="", allow_blank=True
        )
        summary = serializers.CharField(
            max_length=MAX_TEXT, required=False, default="", allow_blank=True
        )
        unmet_outcomes_explanation = serializers.CharField(
            max_length=MAX_TEXT, required=False, default="", allow_blank=True
        )
        outcome_results = OutcomeResultInput(many=True, required=False, default=list)
        signposted_services = signposted_services_field()

    class ClosureOutput(serializers.Serializer):
        case = serializers.IntegerField(source="case_id")
        status = serializers.CharField(
            source="case.status", help_text="closed, or closure_pending awaiting a manager"
        )
        reason = serializers.CharField()
        closed_on = serializers.DateField()
        family_view = serializers.CharField()
        summary = serializers.CharField()
        signposted_services = signposted_services_output()

    @extend_schema(request=ClosureInput, responses={201: ClosureOutput})
    def create(self, request):
        rules = partial(self._rules_broken, request.user)
        data = valid_input(self.ClosureInput, request, also_check=rules)
        case = case_selectors.get_case_for_work(request.user, data["case"])
        try:
            signposted = services_from_ids(data[FIELD], district_id=case.district_id)
        except serializers.ValidationError:
            # Named with every closure rule the rest breaks, at once; nothing is stored.
            raise FieldErrors(rules(data)) from None
        closure = services.case_close_with_plan(
            case=case,
            acting_user=request.user,
            signposted_services=signposted,
            request=request,
            **self._answers(data),
        )
        return Response(self.ClosureOutput(closure).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _answers(data: dict) -> dict:
        """The input as case_close_with_plan takes it (from the fields taken so far, when
        some are wrong)."""
        return {
            "outcome_results": {
                row.get("outcome"): {"result": row.get("result"), "comment": row.get("comment", "")}
                for row in data.get("outcome_results", ())
            },
            "reason": data.get("reason", ""),
            "closed_on": data.get("closed_on"),
            "family_view": data.get("family_view", ""),
            "family_view_text": data.get("family_view_text", ""),
            "summary": data.get("summary", ""),
            "unmet_outcomes_explanation": data.get("unmet_outcomes_explanation", ""),
        }

    def _rules_broken(self, user, data: dict) -> dict[str, str]:
        """{field: message} of the rules `data` breaks: the directory's for the signposted
        services, the closure service's for the rest (valid_input's also_check)."""
        try:
            case = case_selectors.get_case_for_work(user, data["case"])
        except (KeyError, Http404):  # the 400 or the 404 says so when the rest is right
            return {}
        broken = {}
        try:
            services_from_ids(data.get(FIELD, ()), district_id=case.district_id)
        except serializers.ValidationError as wrong:
            broken[FIELD] = str(wrong.detail[FIELD][0])
        try:
            services.closure_prepare(case=case, acting_user=user, **self._answers(data))
        except FieldErrors as wrong:
            broken = wrong.errors | broken
        return broken
