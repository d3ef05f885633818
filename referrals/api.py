"""Requests for support through the API (partner systems) and the front door's triage, under
the same access rules and services as the pages."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, pagination, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import restriction
from cases.access import kind_of_user, stand_in_user
from cases.codes import Gender, Relationship
from cases.models import MAX_TEXT, Need, NeedFramework
from cases.serializers import LevelOfNeedField
from directory.serializers import (
    signposted_services_checked,
    signposted_services_field,
    signposted_services_output,
)
from earlyhelp.api import FirstPage, FirstPageList, PlainColumns
from earlyhelp.api_input import Input, calendar_date, said_as_input_errors, valid_input
from earlyhelp.audit import audit
from earlyhelp.errors import FieldError
from earlyhelp.models import AuditAction
from partners import doors
from partners.models import Agency, District
from referrals import access, rules, selectors, services
from referrals.models import (
    Channel,
    ClosedReason,
    FamilyConsent,
    Outcome,
    Referral,
    ReferralSource,
    Urgency,
)


def _text(**kw):
    return serializers.CharField(
        max_length=MAX_TEXT, allow_blank=True, required=False, default="", **kw
    )


class ReferralInput(Input):
    class ReferralReferrerInput(Input):
        self_referral = serializers.BooleanField(default=False)
        name = serializers.CharField(max_length=150, allow_blank=True, default="")
        role = serializers.CharField(max_length=150, allow_blank=True, default="")
        agency = serializers.PrimaryKeyRelatedField(
            queryset=Agency.objects.filter(active=True), allow_null=True, default=None
        )
        organisation = serializers.CharField(max_length=200, allow_blank=True, default="")
        # Optional with no default: a default "" is not an email, and the schema said so.
        email = serializers.EmailField(allow_blank=True, required=False)
        phone = serializers.CharField(max_length=30, allow_blank=True, default="")
        source = serializers.ChoiceField(ReferralSource.choices, allow_blank=True, default="")

    class ReferralHouseholdInput(Input):
        district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
        address_line_1 = serializers.CharField(max_length=200)
        town = serializers.CharField(max_length=100)
        postcode = serializers.CharField(max_length=10)

        def validate_postcode(self, value):
            error = rules.postcode_error(value)
            if error:
                raise serializers.ValidationError(error)
            return rules.clean_postcode(value)

    class ReferralPersonInput(Input):
        first_name = serializers.CharField(max_length=100)
        last_name = serializers.CharField(max_length=100)
        relationship = serializers.ChoiceField(Relationship.choices)
        date_of_birth = calendar_date(
            "Date of birth", required=False, allow_null=True, default=None
        )
        expected_date = calendar_date(
            "Expected date of delivery", required=False, allow_null=True, default=None
        )
        gender = serializers.ChoiceField(Gender.choices, default=Gender.NOT_RECORDED)
        nhs_number = serializers.CharField(max_length=20, allow_blank=True, default="")
        upn = serializers.CharField(max_length=20, allow_blank=True, default="")

        def validate(self, data):
            errors = rules.typed_person_errors(data)
            if errors:
                raise serializers.ValidationError(errors)
            return data

    class ReferralNeedInput(Input):
        framework = serializers.ChoiceField(
            NeedFramework.choices,
            error_messages={"invalid_choice": "Unknown need framework {input}"},
        )
        code = serializers.CharField(max_length=40)

    referrer = ReferralReferrerInput()
    household = ReferralHouseholdInput()
    people = ReferralPersonInput(many=True)
    worries = serializers.CharField(max_length=MAX_TEXT)
    working_well = _text()
    support_requested = _text()
    needs = ReferralNeedInput(many=True, required=False, default=list)
    family_consent = serializers.ChoiceField(FamilyConsent.choices)
    no_consent_reason = _text()
    urgency = serializers.ChoiceField(Urgency.choices, default=Urgency.ROUTINE)
    significant_harm = serializers.BooleanField()

    def validate_people(self, people):
        if not any(p["relationship"] == Relationship.CHILD for p in people):
            raise serializers.ValidationError("Add at least one child or unborn baby")
        return people

    def validate_needs(self, needs):
        found = []
        for item in needs:
            need = Need.objects.filter(
                framework=item["framework"], code=item["code"], active=True
            ).first()
            if need is None:
                raise serializers.ValidationError(
                    f"Unknown need {item['framework']}/{item['code']}"
                )
            found.append(need)
        return found

    @staticmethod
    def rules_between_fields(data: dict) -> dict:
        """{field: message} of the rules between fields that `data` breaks (a nested input's
        as {its field: [message]}), each asked only when the fields it needs were taken:
        valid_input asks them with the field checks, so every wrong field is named at once."""
        errors = {}
        referrer = data.get("referrer")
        if referrer is not None and not referrer.get("self_referral") and not referrer.get("name"):
            errors["referrer"] = {"name": ["Enter the referrer's name"]}
        consent = data.get("family_consent")
        if consent and consent != FamilyConsent.CONSENTED and not data.get("no_consent_reason"):
            errors["no_consent_reason"] = "Explain why the family has not agreed to this request"
        return errors

    @staticmethod
    def to_entry(d: dict) -> services.RequestEntry:
        r, h = d["referrer"], d["household"]
        agency = r["agency"]
        source = r["source"] or (
            ReferralSource.SELF if r["self_referral"] else ReferralSource.UNKNOWN
        )
        return services.RequestEntry(
            fields={
                "district": h["district"],
                "is_self_referral": r["self_referral"],
                "referrer_name": r["name"],
                "referrer_role": r["role"],
                "referrer_agency": agency,
                "referrer_organisation": r["organisation"],
                "referrer_email": r.get("email", ""),
                "referrer_phone": r["phone"],
                "source": source,
                "address_line_1": h["address_line_1"],
                "town": h["town"],
                "postcode": h["postcode"],
                "worries": d["worries"],
                "working_well": d["working_well"],
                "support_requested": d["support_requested"],
                "family_consent": d["family_consent"],
                "no_consent_reason": d["no_consent_reason"],
                "urgency": d["urgency"],
                "significant_harm": d["significant_harm"],
            },
            people=[services.PersonEntry(**p) for p in d["people"]],
            needs=d["needs"],
        )


# Where the request list puts each request's people (Prefetch(..., to_attr=PEOPLE)): a plain
# list, where a prefetch into `people` makes a queryset for every request.
PEOPLE = "people_list"


class _People(serializers.ListSerializer):
    def get_attribute(self, instance):
        people = getattr(instance, PEOPLE, None)
        return people if people is not None else super().get_attribute(instance)


class ReferralOutput(PlainColumns, serializers.ModelSerializer):
    class ReferralPersonOutput(serializers.Serializer):
        id = serializers.IntegerField()
        first_name = serializers.CharField()
        last_name = serializers.CharField()
        relationship = serializers.CharField()
        # An unborn child has no date of birth yet; anyone else no expected date (null).
        date_of_birth = serializers.DateField(allow_null=True)
        expected_date = serializers.DateField(allow_null=True)
        nhs_number = serializers.CharField()
        upn = serializers.CharField()
        match = serializers.CharField()
        person_id = serializers.IntegerField(allow_null=True)

        class Meta:
            list_serializer_class = _People

    class TriageDecisionOutput(serializers.Serializer):
        level_of_need = serializers.IntegerField()
        level_label = serializers.CharField()
        outcome = serializers.CharField()
        rationale = serializers.CharField()
        allocated_agency = serializers.CharField(allow_null=True)
        case = serializers.CharField(source="case.reference", allow_null=True, default=None)
        signposted_services = signposted_services_output()
        signposted_to = serializers.CharField()
        decided_at = serializers.DateTimeField()

    reference = serializers.CharField(read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    picked_up_by = serializers.CharField(
        source="picked_up_by.full_name", default=None, allow_null=True
    )
    people = ReferralPersonOutput(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "status",
            "version",
            "channel",
            "district",
            "is_self_referral",
            "referrer_name",
            "referrer_agency",
            "source",
            "postcode",
            "worries",
            "working_well",
            "family_consent",
            "urgency",
            "significant_harm",
            "possible_step_up",
            "is_re_referral",
            "received_at",
            "due_on",
            "picked_up_by",
            "people",
            "decision",
        ]

    @extend_schema_field(TriageDecisionOutput(allow_null=True))
    def get_decision(self, obj):
        decision = getattr(obj, "decision", None) if hasattr(obj, "decision") else None
        if not decision:
            return None
        # One decision serializer for a whole list: making one copies its fields each time.
        output = self.__dict__.get("_decision_output")
        if output is None:
            output = self._decision_output = self.TriageDecisionOutput()
        return output.to_representation(decision)


class CloseInput(Input):
    labels = {"duplicate_of": "Request it duplicates"}

    reason = serializers.ChoiceField(ClosedReason.choices)
    note = serializers.CharField(max_length=MAX_TEXT)
    duplicate_of = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate_duplicate_of(self, pk):
        """The request it duplicates, one the caller (context `user`) can see."""
        try:
            return access.duplicated_request(self.context["user"], pk)
        except FieldError as error:
            raise serializers.ValidationError(str(error)) from None


def _requests(user):
    return (
        access.referrals_visible_to(user)
        .exclude(status="draft")
        .select_related(
            "district",
            "picked_up_by",
            "decision",
            "decision__case",
            "decision__allocated_agency",
        )
    )


def _request_people():
    return (Prefetch("people", to_attr=PEOPLE), "decision__signposted_services")


class ReferralViewSet(
    FirstPageList, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests for support the caller may see; partner systems create them here."""

    access_rule = doors.REFERRAL_READERS
    serializer_class = ReferralOutput
    ordering = "-id"
    first_page = FirstPage(
        _requests, kind_of=kind_of_user, stand_in=stand_in_user, prefetch=_request_people
    )

    def get_queryset(self):
        return _requests(self.request.user).prefetch_related(*_request_people())

    def get_object(self):
        referral = access.get_referral_for(self.request.user, self.kwargs["pk"])
        if referral.status == "draft":
            raise Http404
        audit(
            user=self.request.user, action=AuditAction.VIEW, record=referral, request=self.request
        )
        return referral

    @extend_schema(request=ReferralInput, responses={201: ReferralOutput})
    def create(self, request):
        """Send a request for support from a partner system (door 2)."""
        if not doors.REFERRERS.allows(request.user):
            return Response({"detail": "You cannot request support."}, status=403)
        rules = ReferralInput.rules_between_fields
        data = valid_input(ReferralInput, request, also_check=rules)
        if broken := rules(data):
            raise serializers.ValidationError(said_as_input_errors(broken))
        referral = services.referral_submit(
            acting_user=request.user,
            entry=ReferralInput.to_entry(data),
            channel=Channel.API,
            request=request,
        )
        return Response(ReferralOutput(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CloseInput, responses=ReferralOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        referral = access.get_referral_for(request.user, pk)
        data = valid_input(CloseInput, request, user=request.user)
        referral = services.referral_close(
            referral=referral,
            acting_user=request.user,
            reason=data["reason"],
            note=data["note"],
            duplicate_of=data["duplicate_of"],
            request=request,
        )
        return Response(ReferralOutput(referral).data)


class QueuePagination(pagination.PageNumberPagination):
    page_size = 50
    invalid_page_message = "There is no such page of the queue: start again from the first."


class MatchInput(Input):
    class MatchLinkInput(Input):
        referral_person = serializers.IntegerField()
        person = serializers.IntegerField(allow_null=True, help_text="null: a new person")

    links = MatchLinkInput(many=True)
    family = serializers.IntegerField(allow_null=True, help_text="null: a new household")

    # context: `people` and `families`, the possible matches' ids (the only ones allowed)
    def validate_links(self, links):
        allowed = self.context["people"]
        wrong = [link["person"] for link in links if link["person"] not in (None, *allowed)]
        if wrong:
            raise serializers.ValidationError(
                [f"Person {person_id} is not a possible match" for person_id in wrong]
            )
        return links

    def validate_family(self, family_id):
        if family_id is not None and family_id not in self.context["families"]:
            raise serializers.ValidationError("Not a household of a possible match")
        return family_id


class CandidateOutput(serializers.Serializer):
    referral_person = serializers.IntegerField()
    person = serializers.IntegerField(source="person.pk")
    name = serializers.SerializerMethodField()
    reason = serializers.CharField()
    exact = serializers.BooleanField()
    families = serializers.SerializerMethodField()

    restricted = serializers.BooleanField(source="person.restriction.hidden")
    restricted_contact = serializers.SerializerMethodField()

    def get_restricted_contact(self, c) -> str | None:
        return c.person.restriction.contact or None

    def get_name(self, c) -> str:
        """Masked by cases.restriction: a restricted person is 'Restricted record: contact X'."""
        shown = getattr(c.person, "restriction", None)
        if shown is None or shown.hidden:
            return shown.label if shown is not None else "Restricted record"
        return c.person.full_name

    def get_families(self, c) -> list[int]:
        return [f.pk for f in c.families]


class DecideInput(Input):
    version = serializers.IntegerField()
    level_of_need = LevelOfNeedField()
    outcome = serializers.ChoiceField(Outcome.choices)
    rationale = serializers.CharField(max_length=MAX_TEXT)
    allocated_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(active=True), allow_null=True, default=None
    )
    lead_professional = serializers.IntegerField(allow_null=True, default=None)
    case = serializers.IntegerField(allow_null=True, default=None)
    signposted_services = signposted_services_field()
    signposted_to = _text(help_text="Services not in the directory, in words.")

    def validate_signposted_services(self, ids):
        district_id = self.context["referral"].district_id
        return signposted_services_checked(ids, district_id=district_id)

    def validate_lead_professional(self, lead_id):
        if not lead_id:
            return None
        lead = services.eligible_leads_any().filter(pk=lead_id).first()
        if lead is None:
            raise serializers.ValidationError("Unknown lead")
        return lead

    def validate_case(self, case_id):
        if not case_id:
            return None
        case = selectors.open_cases_of(self.context["referral"].family).filter(pk=case_id).first()
        if case is None:
            raise serializers.ValidationError("Not an open case of this family")
        return case

    def validate(self, data):
        if data["signposted_services"] and data["outcome"] != Outcome.SIGNPOSTING:
            raise serializers.ValidationError(
                {
                    "signposted_services": [
                        "Services from the directory are recorded with the "
                        f"“{Outcome.SIGNPOSTING.label}” outcome only"
                    ]
                }
            )
        return data


# Left to itself the schema names the queue's pages after ReferralOutput, as it names the
# request list's cursor pages, and the one name showed the queue as cursor pages too.
@extend_schema_serializer(many=False)
class TriageQueuePage(serializers.Serializer):
    """A page of the front door's queue: numbered pages (?page=), with a count."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReferralOutput(many=True)


@extend_schema_view(
    list=extend_schema(
        responses=TriageQueuePage,
        parameters=[
            OpenApiParameter(
                "urgency",
                enum=Urgency.values,
                description="Only the requests of this urgency.",
            ),
        ],
    )
)
class TriageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The front door's queue and its actions: pick up, match, decide."""

    access_rule = doors.FRONT_DOOR
    serializer_class = ReferralOutput
    pagination_class = QueuePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return (
            selectors.triage_queue_for(
                self.request.user, urgency=self.request.query_params.get("urgency", "")
            )
            .select_related("decision")
            .prefetch_related("decision__signposted_services")
        )

    def _referral(self, pk) -> Referral:
        referral = access.get_referral_for(self.request.user, pk)
        if not access.can_triage(self.request.user, referral):
            raise Http404
        return referral

    @extend_schema(
        request=None,
        responses=ReferralOutput,
        parameters=[
            OpenApiParameter(
                "take_over",
                enum=["1"],
                description="1: take over a request a colleague has picked up (agreed with "
                "them; the history records it).",
            ),
        ],
    )
    @action(detail=True, methods=["post"], url_path="pick-up")
    def pick_up(self, request, pk=None, format=None):
        referral = services.referral_pick_up(
            referral=self._referral(pk),
            acting_user=request.user,
            take_over=request.query_params.get("take_over") == "1",
            request=request,
        )
        return Response(ReferralOutput(referral).data)

    # GET is a plain list (no pages) and POST answers with the request: say so per method,
    # or the schema shows a page of candidates for both.
    @extend_schema(methods=["GET"], responses=CandidateOutput(many=True))
    @extend_schema(methods=["POST"], request=MatchInput, responses=ReferralOutput)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def match(self, request, pk=None, format=None):
        """GET: possible matches for each person. POST: record the officer's choices."""
        referral = self._referral(pk)
        entries = list(referral.people.all())
        candidates = {e.pk: selectors.candidates_for(e, referral.postcode) for e in entries}
        if request.method == "GET":
            audit(user=request.user, action=AuditAction.SEARCH, record=referral, request=request)
            rows = []
            for entry_id, found in candidates.items():
                for c in found:
                    c.referral_person = entry_id
                    rows.append(c)
            restriction.mask_candidates(request.user, rows, keep_family_id=referral.family_id)
            return Response(CandidateOutput(rows, many=True).data)
        allowed_people = {c.person.pk: c.person for found in candidates.values() for c in found}
        allowed_families = {
            f.pk: f for found in candidates.values() for c in found for f in c.families
        }
        if referral.family_id:
            allowed_families[referral.family_id] = referral.family
        data = valid_input(MatchInput, request, people=allowed_people, families=allowed_families)
        links = {
            link["referral_person"]: allowed_people.get(link["person"]) for link in data["links"]
        }
        referral = services.referral_match_record(
            referral=referral,
            acting_user=request.user,
            links=links,
            family=allowed_families.get(data["family"]),
            request=request,
        )
        return Response(ReferralOutput(referral).data)

    @extend_schema(request=DecideInput, responses=ReferralOutput)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, format=None):
        referral = self._referral(pk)
        d = valid_input(DecideInput, request, referral=referral)
        services.referral_decide(
            referral=referral,
            acting_user=request.user,
            expected_version=d["version"],
            level_of_need=int(d["level_of_need"]),
            outcome=d["outcome"],
            rationale=d["rationale"],
            allocated_agency=d["allocated_agency"],
            lead_professional=d["lead_professional"],
            case=d["case"],
            signposted_to=d["signposted_to"],
            signposted_services=d["signposted_services"],
            request=request,
        )
        referral = Referral.objects.select_related("decision", "district").get(pk=referral.pk)
        return Response(ReferralOutput(referral).data)
