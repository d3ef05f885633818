from rest_framework import serializers

from cases import restriction
from cases.models import Family, FamilyMembership, Person


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class _MaskingListSerializer(serializers.ListSerializer):
    """Masks every person (and household) of a list in a few queries, before any row is
    represented, so a list page does not check restriction row by row."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        user = _user(self)
        if items and isinstance(items[0], Family):
            restriction.mask_families(user, items)
            restriction.mask_people(
                user, [m.person for family in items for m in family.memberships.all()]
            )
        elif items and isinstance(items[0], FamilyMembership):
            restriction.mask_people(user, [m.person for m in items])
        elif items and isinstance(items[0], Person):
            restriction.mask_people(user, items)
        return [self.child.to_representation(item) for item in items]


class PersonOutput(serializers.ModelSerializer):
    restricted = serializers.SerializerMethodField()
    restricted_contact = serializers.SerializerMethodField()

    class Meta:
        model = Person
        list_serializer_class = _MaskingListSerializer
        fields = [
            "id",
            "first_name",
            "last_name",
            "other_names",
            "date_of_birth",
            "expected_date",
            "gender",
            "ethnicity",
            "disabilities",
            "sen_status",
            "nhs_number",
            "upn",
            "restricted",
            "restricted_contact",
        ]

    def get_restricted(self, person) -> bool:
        return restriction.restriction_for_person(_user(self), person).hidden

    def get_restricted_contact(self, person) -> str | None:
        return restriction.restriction_for_person(_user(self), person).contact or None

    def to_representation(self, person):
        shown = restriction.restriction_for_person(_user(self), person)
        return restriction.masked_person_data(super().to_representation(person), shown)


class MembershipOutput(serializers.ModelSerializer):
    person = PersonOutput()

    class Meta:
        model = FamilyMembership
        list_serializer_class = _MaskingListSerializer
        fields = ["person", "relationship", "since"]


class FamilyOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = MembershipOutput(source="memberships", many=True)
    restricted = serializers.SerializerMethodField()
    restricted_contact = serializers.SerializerMethodField()

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
            "members",
            "restricted",
            "restricted_contact",
        ]

    def get_restricted(self, family) -> bool:
        return restriction.restriction_for_family(_user(self), family).hidden

    def get_restricted_contact(self, family) -> str | None:
        return restriction.restriction_for_family(_user(self), family).contact or None

    def to_representation(self, family):
        shown = restriction.restriction_for_family(_user(self), family)
        return restriction.masked_family_data(super().to_representation(family), shown)
