from rest_framework import serializers

from cases.models import Family, FamilyMembership, Person


class PersonOutput(serializers.ModelSerializer):
    class Meta:
        model = Person
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
        ]


class MembershipOutput(serializers.ModelSerializer):
    person = PersonOutput()

    class Meta:
        model = FamilyMembership
        fields = ["person", "relationship", "since"]


class FamilyOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = MembershipOutput(source="memberships", many=True)

    class Meta:
        model = Family
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
        ]
