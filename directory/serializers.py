"""The REST API's signposting fields (issue 18 point 2): wherever a page lets a user pick
services from the directory, the API takes the same choice as `signposted_services`, a list
of directory service ids, checked against the services the page would offer."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory.selectors import signposting_choices

FIELD = "signposted_services"
MAX_SERVICES = 50


def signposted_services_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=MAX_SERVICES,
        help_text=(
            "Ids of active services in the directory (/directory/) that families in this "
            "district can use. Anything not listed goes in the free text."
        ),
    )


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class ServiceIds(serializers.Field):
    """A record's directory services as their ids (from the prefetched relation if any)."""

    def to_representation(self, value):
        return [service.pk for service in value.all()]


def signposted_services_output(**kwargs) -> ServiceIds:
    return ServiceIds(
        read_only=True,
        help_text="Ids of the directory services the family was signposted to.",
        **kwargs,
    )


def services_from_ids(ids, *, district_id: int | None) -> list:
    """The chosen services, or a 400 naming the ids that are not active services a family
    in this district can use (unknown, inactive, or for other districts only)."""
    chosen, unknown = signposting_choices(ids or (), district_id=district_id)
    if unknown:
        listed = ", ".join(str(i) for i in unknown[:10])
        raise serializers.ValidationError(
            {
                FIELD: [
                    f"Not an active service in the directory for this family's district: "
                    f"{listed}. Choose services the directory lists, or describe the service "
                    "in the free text."
                ]
            }
        )
    return chosen


def signposted_services_checked(ids, *, district_id: int | None) -> list:
    """services_from_ids as a serializer's validate_signposted_services: its message
    named beside the other fields' wrong ones."""
    try:
        return services_from_ids(ids, district_id=district_id)
    except serializers.ValidationError as error:
        raise serializers.ValidationError(error.detail[FIELD]) from None
