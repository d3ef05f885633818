import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import restriction
from cases.codes import Disability, Ethnicity, Gender, SenStatus
from cases.models import Family, FamilyMembership, LevelOfNeed, Person
from earlyhelp.api import PlainColumnsOutput
from earlyhelp.api_input import Input, calendar_date


class LevelOfNeedField(serializers.ChoiceField):
    """A level of need as its code (1-4: the contract), described in the schema with the
    authority's labels (settings.LEVEL_OF_NEED_LABELS), as `level_label` and the pages show
    them. The choices are read each time a serializer is made (DRF copies declared fields by
    calling __init__ again), so the schema says what the API returns."""

    def __init__(self, **kwargs):
        super().__init__(choices=LevelOfNeed.configured_choices(), **kwargs)


@extend_schema_field(LevelOfNeedField)
class LevelOfNeedFilter(django_filters.ChoiceFilter):
    """?level_of_need=<code>, as the filter made from the model field, described in the
    schema as LevelOfNeedField is."""

    def __init__(self, **kwargs):
        super().__init__(choices=LevelOfNeed.choices, **kwargs)


def _user(serializer):
    """The signed-in user, kept on the serializer: DRF looks the context up through every
    parent serializer each time, three times for each person of a list."""
    try:
        return serializer.__dict__["_request_user"]
    except KeyError:
        request = serializer.context.get("request")
        user = serializer._request_user = getattr(request, "user", None)
        return user


# Where a list page puts each family's memberships (Prefetch(..., to_attr=MEMBERS)): a plain
# list, where a prefetch into `memberships` builds a filtered queryset for every family.
MEMBERS = "member_list"


def members_of(family: Family) -> list[FamilyMembership]:
    """A family's memberships, as the list page read them, or from the database."""
    members = getattr(family, MEMBERS, None)
    return members if members is not None else list(family.memberships.all())


class _MaskingListSerializer(serializers.ListSerializer):
    """Masks every person (and household) of a list in a few queries, before any row is
    represented, so a list page does not check restriction row by row."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        user = _user(self)
        if items and isinstance(items[0], Family):
            restriction.mask_families(user, items)
            restriction.mask_people(
                user, [m.person for family in items for m in members_of(family)]
            )
        elif items and isinstance(items[0], FamilyMembership):
            restriction.mask_people(user, [m.person for m in items])
        elif items and isinstance(items[0], Person):
            restriction.mask_people(user, items)
        return [self.child.to_representation(item) for item in items]


# A person or household as the signed-in user may see it: whether it is restricted, whom
# to ask about it, and when restricted only what the restriction leaves shown.
# `restriction_of` and `masked_data` are cases.restriction's functions for its kind. (No
# docstring: the API schema would show it as the serializer's description.)
class _RestrictedOutput(serializers.Serializer):
    restriction_of = None
    masked_data = None
    restricted = serializers.SerializerMethodField()
    restricted_contact = serializers.SerializerMethodField()

    def get_restricted(self, record) -> bool:
        return self.restriction_of(_user(self), record).hidden

    def get_restricted_contact(self, record) -> str | None:
        return self.restriction_of(_user(self), record).contact or None

    def masked(self, data: dict, record) -> dict:
        return self.masked_data(data, self.restriction_of(_user(self), record))


def _masked_may_be_null(fields: list[str], masked: tuple[str, ...]) -> dict:
    """Meta.extra_kwargs saying in the schema that a restricted record's identifying fields
    are null (cases.restriction.masked_data empties them; the keys stay)."""
    return {name: {"allow_null": True} for name in fields if name in masked}


class PersonOutput(_RestrictedOutput, PlainColumnsOutput, serializers.ModelSerializer):
    restriction_of = staticmethod(restriction.restriction_for_person)
    masked_data = staticmethod(restriction.masked_person_data)

    class Meta:
        model = Person
        list_serializer_class = _MaskingListSerializer
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "other_names",
            "date_of_birth",
            "expected_date",
            "gender",
            "ethnicity",
            "first_language",
            "interpreter_needed",
            "interpreter_notes",
            "disabilities",
            "sen_status",
            "care_leaver",
            "nhs_number",
            "upn",
            "restricted",
            "restricted_contact",
            "lock_version",
        ]
        extra_kwargs = _masked_may_be_null(fields, restriction.PERSON_IDENTITY_FIELDS)

    def to_representation(self, person):
        return self.masked(super().to_representation(person), person)


class _FamilyMembers(_MaskingListSerializer):
    def get_attribute(self, instance):
        return members_of(instance)


class MembershipOutput(PlainColumnsOutput, serializers.ModelSerializer):
    person = PersonOutput()

    class Meta:
        model = FamilyMembership
        list_serializer_class = _FamilyMembers
        fields = ["person", "relationship", "since"]


class FamilyOutput(_RestrictedOutput, PlainColumnsOutput, serializers.ModelSerializer):
    restriction_of = staticmethod(restriction.restriction_for_family)
    masked_data = staticmethod(restriction.masked_family_data)
    # null for a restricted household, as the other identifying fields (Meta.extra_kwargs)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    members = MembershipOutput(source="memberships", many=True)

    class Meta:
        model = Family
        list_serializer_class = _MaskingListSerializer
        fields = [
            "id",
            "name",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "district",
            "deprivation_decile",
            "moved_out_on",
            "moved_to",
            "members",
            "restricted",
            "restricted_contact",
            "lock_version",
        ]
        extra_kwargs = _masked_may_be_null(fields, restriction.FAMILY_IDENTITY_FIELDS)

    def to_representation(self, family):
        return self.masked(super().to_representation(family), family)


def _code(label: str, codes=None) -> serializers.Field:
    """A code from one of the lists (cases.codes), never blank, checked by cases.upkeep;
    with `codes`, the schema lists them."""
    message = f"Choose the {label} from the list"
    if codes is None:
        return serializers.CharField(required=False, error_messages={"blank": message})
    return serializers.ChoiceField(
        choices=codes.choices, required=False, error_messages={"invalid_choice": message}
    )


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Disability.choices)))
class DisabilityCodes(serializers.ListField):
    """Codes from the disabilities list, described in the schema as that list; checked by
    cases.upkeep, which names a wrong one as the page does (one message for the field)."""


class PersonPatchInput(Input):
    """PATCH /api/v1/people/{id}/: send only what changes, with the lock_version you read.
    Lengths, codes and identifiers are checked by cases.upkeep (400 with field messages)."""

    lock_version = serializers.IntegerField(
        min_value=1, help_text="The lock_version you read; a stale one is a 409."
    )
    first_name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    last_name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    preferred_name = serializers.CharField(required=False, allow_blank=True)
    other_names = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = calendar_date("Date of birth", required=False, allow_null=True)
    expected_date = calendar_date("Expected date of delivery", required=False, allow_null=True)
    gender = _code("gender", Gender)
    ethnicity = _code("ethnicity", Ethnicity)
    first_language = _code("first language")
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_notes = serializers.CharField(required=False, allow_blank=True)
    sen_status = _code("SEN status", SenStatus)
    disabilities = DisabilityCodes(child=serializers.CharField(), required=False)
    care_leaver = serializers.BooleanField(required=False)
    nhs_number = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    upn = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class FamilyPatchInput(Input):
    """PATCH /api/v1/families/{id}/: a new `district` (its code) is a move: the family's
    open cases follow it and that district's team managers are told."""

    lock_version = serializers.IntegerField(
        min_value=1, help_text="The lock_version you read; a stale one is a 409."
    )
    name = serializers.CharField(required=False, allow_blank=True)
    address_line_1 = serializers.CharField(required=False, allow_blank=True)
    address_line_2 = serializers.CharField(required=False, allow_blank=True)
    town = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    district = serializers.CharField(required=False, help_text="District code")
