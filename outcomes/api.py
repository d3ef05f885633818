"""The family outcomes API (contract, issue 15):

- GET /api/v1/outcomes/families/?ready=true: families ready to claim, each with `case`,
  `needs` and `progress` (without `ready`, every programme family the caller may read);
- POST /api/v1/outcomes/claims/ {"case": <case id>}: 201 with the claim for a ready family,
  400 with the reasons for one that is not, 409 when the family is already claimed in the
  programme period, 404 for a case out of the caller's scope.
"""

from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from earlyhelp.api import ErrorOutput
from earlyhelp.api_input import Input, valid_input
from earlyhelp.audit import audit_many
from earlyhelp.models import AuditAction
from outcomes import access, selectors, services
from outcomes.models import Claim


class _ByCase(CursorPagination):
    ordering = "case_id"
    page_size = 50


class ProgrammeNeedOutput(serializers.Serializer):
    code = serializers.CharField(source="headline.code")
    label = serializers.CharField(source="headline.label")
    source = serializers.CharField()
    evidence = serializers.CharField()
    identified_on = serializers.DateField()


class NeedProgressOutput(serializers.Serializer):
    need = serializers.CharField(source="headline.code")
    status = serializers.CharField()
    significant_since = serializers.DateField(allow_null=True)
    sustained_on = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_sustained_on(self, need) -> str | None:
        day = services.sustained_on(need)
        return day.isoformat() if day else None


class ProgrammeFamilyOutput(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    family = serializers.IntegerField(source="case.family_id")
    district = serializers.CharField(source="case.district.name")
    state = serializers.CharField()
    plan_version = serializers.IntegerField(source="plan.number")
    ready_on = serializers.DateField(allow_null=True)
    needs = ProgrammeNeedOutput(many=True, source="needs.all")
    progress = NeedProgressOutput(many=True, source="needs.all")


@extend_schema(
    parameters=[
        OpenApiParameter(
            "ready",
            bool,
            description="true: only the families ready to claim; otherwise every programme "
            "family the caller may read.",
        )
    ]
)
class ProgrammeFamiliesApi(generics.ListAPIView):
    access_rule = access.PROGRAMME_TEAM
    serializer_class = ProgrammeFamilyOutput
    pagination_class = _ByCase

    def get_queryset(self):
        ready = self.request.query_params.get("ready", "").lower() in ("true", "1", "yes")
        if ready:
            episodes = selectors.ready_families_for(self.request.user)
        else:
            episodes = selectors.programme_families_for(self.request.user).prefetch_related(
                "needs__headline"
            )
        return episodes.order_by("case_id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_many(
            request,
            AuditAction.VIEW,
            "programme_families",
            reason=f"{len(response.data.get('results', []))} families listed",
        )
        return response


class ClaimInput(Input):
    case = serializers.IntegerField(
        error_messages={"required": "Give the case id.", "invalid": "The case id is a number."}
    )


class ClaimOutput(serializers.ModelSerializer):
    case = serializers.IntegerField(source="episode.case_id")
    reference = serializers.CharField()

    class Meta:
        model = Claim
        fields = ["id", "reference", "case", "family", "period", "status", "prepared_on", "rules"]


class NotReadyOutput(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Which need, and what it still lacks."
    )


class ClaimInputErrors(serializers.Serializer):
    case = serializers.ListField(child=serializers.CharField())


# A 400 is either of the two: the family is not ready, or the case id was missing or wrong.
_REFUSED = PolymorphicProxySerializer(
    component_name="ClaimRefused",
    serializers=[NotReadyOutput, ClaimInputErrors],
    resource_type_field_name=None,
)


class ClaimsApi(generics.ListCreateAPIView):
    access_rule = access.PROGRAMME_TEAM
    serializer_class = ClaimOutput

    def get_queryset(self):
        return selectors.claims_for(self.request.user).order_by("-id")

    @extend_schema(
        request=ClaimInput,
        responses={201: ClaimOutput, 400: _REFUSED, 409: ErrorOutput},
    )
    def post(self, request, *args, **kwargs):
        data = valid_input(ClaimInput, request)
        case = access.get_outcome_case_for(request.user, data["case"])
        try:
            claim = services.claim_prepare(case=case, acting_user=request.user, request=request)
        except services.AlreadyClaimed as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        except services.NotReadyToClaim as error:
            return Response(
                {"detail": str(error), "reasons": error.reasons},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(ClaimOutput(claim).data, status=status.HTTP_201_CREATED)
