"""People and families through the API, under the same access rules as the pages."""

from django.db.models import Prefetch
from rest_framework import viewsets

from cases import access
from cases.models import FamilyMembership
from cases.serializers import FamilyOutput, PersonOutput
from earlyhelp import access_rules
from earlyhelp.audit import audit
from earlyhelp.models import AuditAction


class _AuditedRetrieve:
    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit(user=request.user, action=AuditAction.VIEW, record=self._object, request=request)
        return response


class PersonViewSet(_AuditedRetrieve, viewsets.ReadOnlyModelViewSet):
    access_rule = access_rules.CASE_DATA
    serializer_class = PersonOutput
    filterset_fields = ["nhs_number", "upn", "date_of_birth"]

    def get_queryset(self):
        return access.people_visible_to(self.request.user)

    def get_object(self):
        self._object = access.get_person_for(self.request.user, self.kwargs["pk"])
        return self._object


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
