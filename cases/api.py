"""People and families through the API, under the same access rules as the pages."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import access, selectors, services
from cases.models import (
    MAX_TEXT,
    NOTE_KINDS,
    ChronologyEntry,
    ChronologyKind,
    EarlyHelpCase,
    FamilyMembership,
    LevelOfNeed,
)
from cases.serializers import FamilyOutput, PersonOutput
from earlyhelp.audit import audit
from earlyhelp.models import AuditAction
from partners import doors


class _AuditedRetrieve:
    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit(user=request.user, action=AuditAction.VIEW, record=self._object, request=request)
        return response


class PersonViewSet(_AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = doors.CASE_DATA
    serializer_class = PersonOutput
    filterset_fields = ["nhs_number", "upn", "date_of_birth"]

    def get_queryset(self):
        return access.people_visible_to(self.request.user)

    def get_object(self):
        self._object = access.get_person_for(self.request.user, self.kwargs["pk"])
        return self._object


class FamilyViewSet(_AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = doors.CASE_DATA
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


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Early help cases for partner systems. The list is the caller's scope
    (cases_visible_to: one query per page); a single case goes through get_case_for (404 out
    of scope, 403 restricted). Writes go through cases.services, as on the pages."""

    access_rule = doors.CASE_WORKERS
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
    def add_note(self, request, pk=None, format=None):
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
