"""People and families through the API, under the same access rules as the pages."""

from functools import partial

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django_filters.rest_framework import FilterSet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import access, selectors, services, upkeep, upkeep_access
from cases.codes import Relationship
from cases.models import (
    MAX_TEXT,
    NOTE_KINDS,
    ChronologyEntry,
    ChronologyKind,
    ConsentRecord,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    LevelOfNeed,
    Person,
    StepUpRequest,
)
from cases.serializers import (
    MEMBERS,
    FamilyOutput,
    FamilyPatchInput,
    LevelOfNeedField,
    LevelOfNeedFilter,
    PersonOutput,
    PersonPatchInput,
)
from cases.start_forms import person_entered_twice, twice_message
from cases.upkeep import check_date_of_birth
from cases.validators import normalise_postcode, validate_postcode
from earlyhelp.api import ErrorOutput, FirstPage, FirstPageList, PlainColumns
from earlyhelp.api_input import Input, calendar_date, calendar_datetime, valid_input
from earlyhelp.audit import audit
from earlyhelp.compiled import STAND_IN, CompiledRead, one_of
from earlyhelp.models import AuditAction
from earlyhelp.wording import term
from partners import doors


class _AuditedRetrieve:
    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit(user=request.user, action=AuditAction.VIEW, record=self._object, request=request)
        return response


def _patch(request, input_class, output_class, update, check):
    """Shared PATCH: parse, call the upkeep service (`update`, given the record), 400 with
    field messages, 409 stale (an EditConflict, see earlyhelp.api.exception_handler).
    `check(data)`: the upkeep rules the service holds the fields to (a clean_* function),
    asked too when a field is wrong for the serializer, so every wrong field is named."""
    from rest_framework.exceptions import ValidationError

    data = dict(valid_input(input_class, request, also_check=partial(_rules_broken, check)))
    lock_version = data.pop("lock_version")
    try:
        saved = update(
            acting_user=request.user, lock_version=lock_version, data=data, request=request
        )
    except upkeep.RecordErrors as exc:
        raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None
    return Response(output_class(saved).data)


def _rules_broken(check, data: dict) -> dict[str, str]:
    try:
        check(data)
    except upkeep.RecordErrors as exc:
        return exc.errors
    return {}


# The lists' filters as classes: given `filterset_fields`, django-filter makes a FilterSet
# class (and its filters from the model) on every request, a tenth of a list's time.
class PersonFilter(FilterSet):
    class Meta:
        model = Person
        fields = ["nhs_number", "upn", "date_of_birth"]


class PersonViewSet(_AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = doors.CASE_DATA
    serializer_class = PersonOutput
    filterset_class = PersonFilter

    def get_queryset(self):
        return access.people_visible_to(self.request.user)

    def get_object(self):
        self._object = access.get_person_for(self.request.user, self.kwargs["pk"])
        return self._object

    @extend_schema(request=PersonPatchInput, responses={200: PersonOutput, 409: ErrorOutput})
    def partial_update(self, request, pk=None):
        """Correct a person's record (cases.upkeep.person_update): 200 with the record, 400
        with field messages, 409 on a stale lock_version, 404 out of scope."""
        person = upkeep_access.get_person_for_upkeep(request.user, pk)
        return _patch(
            request,
            PersonPatchInput,
            PersonOutput,
            partial(upkeep.person_update, person=person),
            lambda data: upkeep.clean_person(person, data, today=timezone.localdate()),
        )


class FamilyFilter(FilterSet):
    class Meta:
        model = Family
        fields = ["postcode", "district__code"]


def _families(user):
    return access.families_visible_to(user).select_related("district")


def _family_members():
    return (
        Prefetch("memberships", FamilyMembership.objects.select_related("person"), to_attr=MEMBERS),
    )


_MEMBERS_OF = CompiledRead(
    lambda family_ids: FamilyMembership.objects.select_related("person").filter(
        one_of("family_id", family_ids)
    ),
    family_ids=[STAND_IN],
)


def _read_members(families: list) -> None:
    """_family_members() for a first page (FirstPage): each family's memberships, with their
    people, as the prefetch leaves them, through a compiled read."""
    found: dict[int, list] = {}
    if families:
        for membership in _MEMBERS_OF.rows(family_ids=[family.pk for family in families]):
            found.setdefault(membership.family_id, []).append(membership)
    for family in families:
        members = found.get(family.pk, [])
        for membership in members:
            FamilyMembership.family.field.set_cached_value(membership, family)
        setattr(family, MEMBERS, members)


class FamilyViewSet(FirstPageList, _AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = doors.CASE_DATA
    serializer_class = FamilyOutput
    filterset_class = FamilyFilter
    first_page = FirstPage(
        _families,
        kind_of=access.kind_of_user,
        stand_in=access.stand_in_user,
        prefetch=_family_members,
        read_related=_read_members,
    )

    def get_queryset(self):
        return _families(self.request.user).prefetch_related(*_family_members())

    def get_object(self):
        self._object = access.get_family_for(self.request.user, self.kwargs["pk"])
        return self._object

    @extend_schema(request=FamilyPatchInput, responses={200: FamilyOutput, 409: ErrorOutput})
    def partial_update(self, request, pk=None):
        """Correct a household's name or address, or move it to another district
        (cases.upkeep.family_update): 200, 400 with field messages, 409 stale, 404."""
        family = upkeep_access.get_family_for_upkeep(request.user, pk)
        return _patch(
            request,
            FamilyPatchInput,
            FamilyOutput,
            partial(upkeep.family_update, family=family),
            upkeep.clean_family,
        )


class CaseFilter(django_filters.FilterSet):
    level_of_need = LevelOfNeedFilter()

    class Meta:
        model = EarlyHelpCase
        fields = ["status", "level_of_need"]


def _cases(user):
    return access.cases_visible_to(user).select_related(
        "family", "district", "lead_agency", "lead_professional"
    )


# Where the case list puts each case's children (Prefetch(..., to_attr=CHILDREN)): a plain
# list, where a prefetch into `children` makes a filtered queryset for every case.
CHILDREN = "child_list"


def _case_children():
    return (Prefetch("children", to_attr=CHILDREN),)


class _ChildIds(serializers.ManyRelatedField):
    def get_attribute(self, instance):
        children = getattr(instance, CHILDREN, None)
        return children if children is not None else super().get_attribute(instance)


class CaseViewSet(FirstPageList, viewsets.ReadOnlyModelViewSet):
    """Early help cases for partner systems. The list is the caller's scope
    (cases_visible_to: one query per page); a single case goes through get_case_for (404 out
    of scope, 403 restricted). Writes go through cases.services, as on the pages."""

    access_rule = doors.CASE_WORKERS
    lookup_value_regex = r"\d+"
    filterset_class = CaseFilter

    class CaseOutput(PlainColumns, serializers.ModelSerializer):
        class CaseFamilyOutput(serializers.Serializer):
            id = serializers.IntegerField()
            name = serializers.CharField()

        reference = serializers.CharField(read_only=True)
        family = CaseFamilyOutput()
        district = serializers.SlugRelatedField(slug_field="code", read_only=True)
        lead_agency = serializers.CharField(source="lead_agency.name")
        # null while the case waits for allocation
        lead_professional = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
        lead_professional_name = serializers.CharField(
            source="lead_professional.full_name", default=None, allow_null=True
        )
        level_of_need = LevelOfNeedField()
        level_label = serializers.SerializerMethodField()
        children = _ChildIds(
            child_relation=serializers.PrimaryKeyRelatedField(read_only=True), read_only=True
        )

        class Meta:
            model = EarlyHelpCase
            fields = [
                "id",
                "reference",
                "status",
                "level_of_need",
                "level_label",
                "family",
                "children",
                "district",
                "lead_agency",
                "lead_professional",
                "lead_professional_name",
                "origin",
                "opened_on",
                "closed_on",
                "closure_reason",
            ]

        def get_level_label(self, case) -> str:
            return LevelOfNeed.label_for(case.level_of_need)

    class CaseNoteInput(Input):
        kind = serializers.ChoiceField(
            choices=[(k.value, k.label) for k in NOTE_KINDS], default=ChronologyKind.NOTE
        )
        text = serializers.CharField(max_length=MAX_TEXT)
        title = serializers.CharField(max_length=200, required=False, default="")
        occurred_at = calendar_datetime("Date it happened", required=False, default=None)

    class CaseNoteOutput(serializers.ModelSerializer):
        author = serializers.CharField(source="author.full_name", default=None)

        class Meta:
            model = ChronologyEntry
            fields = ["id", "kind", "title", "text", "occurred_at", "author", "recorded_at"]

    serializer_class = CaseOutput
    first_page = FirstPage(
        _cases, kind_of=access.kind_of_user, stand_in=access.stand_in_user, prefetch=_case_children
    )

    def get_queryset(self):
        return _cases(self.request.user).prefetch_related(*_case_children())

    def retrieve(self, request, *args, **kwargs):
        case = access.get_case_for(request.user, kwargs["pk"])
        case = self.get_queryset().get(pk=case.pk)
        audit(user=request.user, action=AuditAction.VIEW, record=case, request=request)
        return Response(self.CaseOutput(case).data)

    @extend_schema(request=CaseNoteInput, responses={201: CaseNoteOutput})
    @action(detail=True, methods=["post"], url_path="notes")
    def add_note(self, request, pk=None, format=None):
        """Add a case note to the chronology (cases.services.note_add audits it)."""
        case = selectors.get_case_for_work(request.user, pk)
        data = valid_input(self.CaseNoteInput, request)
        entry = services.note_add(case=case, acting_user=request.user, request=request, **data)
        return Response(self.CaseNoteOutput(entry).data, status=status.HTTP_201_CREATED)

    class StartInput(Input):
        class PersonInput(Input):
            first_name = serializers.CharField(max_length=100)
            last_name = serializers.CharField(max_length=100)
            # Judged with the calendar's years at once, as the start page does.
            date_of_birth = calendar_date(
                "Date of birth",
                required=False,
                allow_null=True,
                default=None,
                validators=[check_date_of_birth],
            )
            relationship = serializers.ChoiceField(choices=Relationship.choices)
            nhs_number = serializers.CharField(
                max_length=10, required=False, allow_blank=True, default=""
            )
            upn = serializers.CharField(max_length=13, required=False, allow_blank=True, default="")
            person_id = serializers.IntegerField(
                required=False,
                allow_null=True,
                default=None,
                help_text="A possible match (from the 400 answer) who is this person",
            )
            new_person = serializers.BooleanField(
                default=False, help_text="None of the possible matches is this person"
            )

        class ConsentInput(Input):
            labels = {"given_by": "Person who consented"}

            given_by = serializers.IntegerField(
                min_value=0, help_text="Index in `people` of who consented"
            )
            given_on = calendar_date("Date consent was given")
            method = serializers.ChoiceField(choices=ConsentRecord.Method.choices)

        district = serializers.SlugField(help_text="District code")
        address_line_1 = serializers.CharField(max_length=200)
        town = serializers.CharField(max_length=100)
        postcode = serializers.CharField(max_length=10, validators=[validate_postcode])
        people = PersonInput(many=True)
        consent = ConsentInput()
        level_of_need = serializers.IntegerField()
        reason = serializers.CharField(max_length=MAX_TEXT)

        def validate_district(self, code):
            """One of the caller's districts, checked with the other fields."""
            from partners.models import District

            user = self.context["user"]
            district = District.objects.filter(
                code=code, pk__in=user.districts.values("pk")
            ).first()
            if district is None:
                raise serializers.ValidationError("Choose one of the districts you work in.")
            return district

        def validate_postcode(self, value):
            return normalise_postcode(value)

        def validate_people(self, value):
            twice = person_entered_twice(value)
            if twice:
                raise serializers.ValidationError(twice_message(twice))
            return value

    @extend_schema(request=StartInput, responses={201: CaseOutput})
    def create(self, request):
        """Start early help as a partner who knows the family (no front door): people matched
        or new, consent first, the caller leads; 201 with the case."""
        if not access.may_start_early_help(request.user):
            return Response({"detail": f"You cannot start {term('early help')}."}, status=403)
        data = valid_input(self.StartInput, request, user=request.user)
        case = services.case_start_by_partner(
            acting_user=request.user,
            district=data["district"],
            address_line_1=data["address_line_1"],
            town=data["town"],
            postcode=data["postcode"],
            people=[dict(p) for p in data["people"]],
            consent=dict(data["consent"]),
            level_of_need=data["level_of_need"],
            reason=data["reason"],
            request=request,
        )
        case = self.get_queryset().get(pk=case.pk)
        return Response(self.CaseOutput(case).data, status=status.HTTP_201_CREATED)

    class AllocateInput(Input):
        lead_professional = serializers.IntegerField()
        note = serializers.CharField(max_length=MAX_TEXT, required=False, default="")

        def validate_lead_professional(self, pk):
            from partners.models import User

            lead = User.objects.filter(pk=pk).first()
            if lead is None:
                raise serializers.ValidationError(
                    "Choose a person who works for the allocated team."
                )
            return lead

    class LeadOutput(serializers.Serializer):
        id = serializers.IntegerField()
        full_name = serializers.CharField()
        job_title = serializers.CharField()
        role = serializers.CharField()

    @extend_schema(request=AllocateInput, responses={200: CaseOutput, 409: ErrorOutput})
    @action(detail=True, methods=["post"], url_path="allocate")
    def allocate(self, request, pk=None):
        """Allocate a waiting case to a lead professional (cases.services.case_allocate):
        200 with the open case; 400 with a field message if that person may not lead it;
        409 if the case is not waiting for allocation; 404 out of scope."""
        from earlyhelp.errors import InvalidTransition

        case = access.get_case_to_decide(request.user, pk, access.may_allocate)
        data = valid_input(self.AllocateInput, request)
        try:
            services.case_allocate(
                case=case,
                lead_professional=data["lead_professional"],
                acting_user=request.user,
                note=data["note"],
                request=request,
            )
        except InvalidTransition as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return Response(self.CaseOutput(self.get_queryset().get(pk=case.pk)).data)

    # A plain list of one case's leads: no pages, and none of the case list's filters (the
    # schema documents those of the action's own backends, so it has none).
    @extend_schema(responses={200: LeadOutput(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="eligible-leads",
        pagination_class=None,
        filter_backends=[],
    )
    def eligible_leads(self, request, pk=None):
        """Who may be chosen as lead professional for a waiting case."""
        case = access.get_case_to_decide(request.user, pk, access.may_allocate)
        leads = selectors.eligible_leads_for(case)
        return Response(self.LeadOutput(leads, many=True).data)

    class ReturnClosureInput(Input):
        reason = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)

    @extend_schema(request=None, responses={200: CaseOutput, 409: ErrorOutput})
    @action(detail=True, methods=["post"], url_path="authorise-closure")
    def authorise_closure(self, request, pk=None):
        """Authorise a lead professional's closure (cases.services.closure_authorise): 200
        with the closed case; 409 if no closure is awaiting authorisation; 404 out of the
        caller's scope (or not a manager who may authorise it)."""
        from earlyhelp.errors import InvalidTransition

        case = access.get_case_to_decide(request.user, pk, access.may_authorise_closure)
        try:
            services.closure_authorise(case=case, acting_user=request.user, request=request)
        except InvalidTransition as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return Response(self.CaseOutput(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=ReturnClosureInput, responses={200: CaseOutput, 409: ErrorOutput})
    @action(detail=True, methods=["post"], url_path="return-closure")
    def return_closure(self, request, pk=None):
        """Return a lead professional's closure with a reason (cases.services.closure_return):
        200 with the case open again; 400 with a field message when the reason is missing;
        409 if no closure is awaiting authorisation; 404 out of scope."""
        from earlyhelp.errors import InvalidTransition

        case = access.get_case_to_decide(request.user, pk, access.may_authorise_closure)
        data = valid_input(self.ReturnClosureInput, request)
        try:
            services.closure_return(
                case=case, acting_user=request.user, reason=data.get("reason", ""), request=request
            )
        except InvalidTransition as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return Response(self.CaseOutput(self.get_queryset().get(pk=case.pk)).data)


class StepUpRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Step-up requests for children's social care in the caller's districts: list, read,
    accept or decline (cases.services.step_up_accept / step_up_decline)."""

    access_rule = doors.SOCIAL_CARE
    lookup_value_regex = r"\d+"

    class StepUpOutput(serializers.ModelSerializer):
        reference = serializers.CharField(read_only=True)
        family = serializers.CharField(source="family.name")
        district = serializers.SlugRelatedField(slug_field="code", read_only=True)
        # null for a request from the front door, which has no case yet
        case = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
        source = serializers.CharField(read_only=True, help_text="case, review or front_door")

        class Meta:
            model = StepUpRequest
            fields = [
                "id",
                "reference",
                "status",
                "family",
                "district",
                "case",
                "source",
                "significant_harm",
                "reason",
                "requested_at",
                "decided_at",
                "decision_reason",
                "social_care_team",
            ]

    class DecisionInput(Input):
        reason = serializers.CharField(
            max_length=MAX_TEXT, required=False, default="", allow_blank=True
        )
        social_care_team = serializers.CharField(
            max_length=200, required=False, default="", allow_blank=True
        )

    serializer_class = StepUpOutput

    def get_queryset(self):
        return access.step_up_requests_visible_to(self.request.user).select_related(
            "family", "district"
        )

    def retrieve(self, request, *args, **kwargs):
        step = access.get_step_up_for(request.user, kwargs["pk"])
        audit(user=request.user, action=AuditAction.VIEW, record=step.family, request=request)
        return Response(self.StepUpOutput(step).data)

    @extend_schema(request=DecisionInput, responses={200: StepUpOutput})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        step = access.get_step_up_for(request.user, pk)
        data = valid_input(self.DecisionInput, request)
        services.step_up_accept(
            step=step,
            acting_user=request.user,
            social_care_team=data["social_care_team"],
            note=data["reason"],
            request=request,
        )
        return Response(self.StepUpOutput(step).data)

    @extend_schema(request=DecisionInput, responses={200: StepUpOutput})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        step = access.get_step_up_for(request.user, pk)
        data = valid_input(self.DecisionInput, request)
        services.step_up_decline(
            step=step, acting_user=request.user, reason=data["reason"], request=request
        )
        return Response(self.StepUpOutput(step).data)
