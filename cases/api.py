"""People and families through the API, under the same access rules as the pages."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import access, selectors, services, upkeep, upkeep_access
from cases.models import (
    MAX_TEXT,
    NOTE_KINDS,
    ChronologyEntry,
    ChronologyKind,
    EarlyHelpCase,
    FamilyMembership,
    LevelOfNeed,
)
from cases.serializers import FamilyOutput, FamilyPatchInput, PersonOutput, PersonPatchInput
from earlyhelp import access_rules
from earlyhelp.audit import audit
from earlyhelp.models import AuditAction


class _AuditedRetrieve:
    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit(user=request.user, action=AuditAction.VIEW, record=self._object, request=request)
        return response


def _patch(request, input_class, update, record, output_class):
    """Shared PATCH: parse, call the upkeep service, 400 with field messages, 409 stale."""
    from rest_framework.exceptions import ValidationError

    serializer = input_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    lock_version = data.pop("lock_version")
    try:
        saved = update(record, lock_version, data)
    except upkeep.RecordErrors as exc:
        raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None
    return Response(output_class(saved).data)


class PersonViewSet(_AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = access_rules.CASE_DATA
    serializer_class = PersonOutput
    filterset_fields = ["nhs_number", "upn", "date_of_birth"]

    def get_queryset(self):
        return access.people_visible_to(self.request.user)

    def get_object(self):
        self._object = access.get_person_for(self.request.user, self.kwargs["pk"])
        return self._object

    @extend_schema(request=PersonPatchInput, responses={200: PersonOutput})
    def partial_update(self, request, pk=None):
        """Correct a person's record (cases.upkeep.person_update): 200 with the record, 400
        with field messages, 409 on a stale lock_version, 404 out of scope."""
        person = upkeep_access.get_person_for_upkeep(request.user, pk)
        return _patch(
            request,
            PersonPatchInput,
            lambda record, lock_version, data: upkeep.person_update(
                person=record,
                acting_user=request.user,
                lock_version=lock_version,
                data=data,
                request=request,
            ),
            person,
            PersonOutput,
        )


class FamilyViewSet(_AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = access_rules.CASE_DATA
    serializer_class = FamilyOutput
    filterset_fields = ["postcode", "district__code"]

    def get_queryset(self):
        return (
            access.families_visible_to(self.request.user)
            .select_related("district")
            .prefetch_related(
                Prefetch("memberships", FamilyMembership.objects.select_related("person"))
            )
        )

    def get_object(self):
        self._object = access.get_family_for(self.request.user, self.kwargs["pk"])
        return self._object

    @extend_schema(request=FamilyPatchInput, responses={200: FamilyOutput})
    def partial_update(self, request, pk=None):
        """Correct a household's name or address, or move it to another district
        (cases.upkeep.family_update): 200, 400 with field messages, 409 stale, 404."""
        family = upkeep_access.get_family_for_upkeep(request.user, pk)
        return _patch(
            request,
            FamilyPatchInput,
            lambda record, lock_version, data: upkeep.family_update(
                family=record,
                acting_user=request.user,
                lock_version=lock_version,
                data=data,
                request=request,
            ),
            family,
            FamilyOutput,
        )


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Early help cases for partner systems. The list is the caller's scope
    (cases_visible_to: one query per page); a single case goes through get_case_for (404 out
    of scope, 403 restricted). Writes go through cases.services, as on the pages."""

    access_rule = access_rules.CASE_WORKERS
    lookup_value_regex = r"\d+"
    filterset_fields = ["status", "level_of_need"]

    class CaseOutput(serializers.ModelSerializer):
        class CaseFamilyOutput(serializers.Serializer):
            id = serializers.IntegerField()
            name = serializers.CharField()

        reference = serializers.CharField(read_only=True)
        family = CaseFamilyOutput()
        district = serializers.SlugRelatedField(slug_field="code", read_only=True)
        lead_agency = serializers.CharField(source="lead_agency.name")
        lead_professional = serializers.CharField(
            source="lead_professional.full_name", default=None
        )
        level_label = serializers.SerializerMethodField()
        children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

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
                "opened_on",
                "closed_on",
                "closure_reason",
            ]

        def get_level_label(self, case) -> str:
            return LevelOfNeed.label_for(case.level_of_need)

    class CaseNoteInput(serializers.Serializer):
        kind = serializers.ChoiceField(
            choices=[(k.value, k.label) for k in NOTE_KINDS], default=ChronologyKind.NOTE
        )
        text = serializers.CharField(max_length=MAX_TEXT)
        title = serializers.CharField(max_length=200, required=False, default="")
        occurred_at = serializers.DateTimeField(required=False, default=None)

    class CaseNoteOutput(serializers.ModelSerializer):
        author = serializers.CharField(source="author.full_name", default=None)

        class Meta:
            model = ChronologyEntry
            fields = ["id", "kind", "title", "text", "occurred_at", "author", "recorded_at"]

    serializer_class = CaseOutput

    def get_queryset(self):
        return (
            access.cases_visible_to(self.request.user)
            .select_related("family", "district", "lead_agency", "lead_professional")
            .prefetch_related("children")
        )

    def retrieve(self, request, *args, **kwargs):
        case = access.get_case_for(request.user, kwargs["pk"])
        case = self.get_queryset().get(pk=case.pk)
        audit(user=request.user, action=AuditAction.VIEW, record=case, request=request)
        return Response(self.CaseOutput(case).data)

    @extend_schema(request=CaseNoteInput, responses={201: CaseNoteOutput})
    @action(detail=True, methods=["post"], url_path="notes")
    def add_note(self, request, pk=None):
        """Add a case note to the chronology (cases.services.note_add audits it)."""
        case = selectors.get_case_for_work(request.user, pk)
        data = self._valid(self.CaseNoteInput, request)
        entry = services.note_add(case=case, acting_user=request.user, request=request, **data)
        return Response(self.CaseNoteOutput(entry).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _valid(serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
