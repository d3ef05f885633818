"""Staff changes that touch casework: a leaver switched off, a lost two-factor device.
Called from the Django admin (records/admin.py); each is audited."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import access
from cases.models import EarlyHelpCase, TeamAroundFamilyMember
from earlyhelp.audit import audit_change
from earlyhelp.errors import DomainError


def cases_to_reallocate(user) -> list[EarlyHelpCase]:
    """Open cases a leaver leads, or sits on the TAF of: each needs a new lead or member."""
    on_taf = TeamAroundFamilyMember.objects.filter(user=user, left_on__isnull=True).values(
        "case_id"
    )
    return list(
        EarlyHelpCase.objects.filter(lead_professional=user)
        .union(EarlyHelpCase.objects.filter(pk__in=on_taf))
        .order_by("pk")
    )


@transaction.atomic
def user_switch_off(*, user, acting_user, request=None) -> list[EarlyHelpCase]:
    """Switch off a leaver's account (never deleted: the audit trail names them). Their
    open cases are listed for reallocation and the district team managers are told."""
    from django.urls import reverse

    from earlyhelp.notifications import notify

    if user.pk == acting_user.pk:
        raise DomainError("You cannot switch off your own account.")
    cases = [c for c in cases_to_reallocate(user) if c.status != "closed"]
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_change(
        user,
        by=acting_user,
        request=request,
        changes={"is_active": [was_active, False], "cases_to_reallocate": [c.pk for c in cases]},
        reason="Leaver switched off",
    )
    for case in cases:
        for manager in access.team_managers_in(case.district_id):
            notify(
                user=manager,
                subject=f"{case.reference} needs a new lead or team member: a colleague has left",
                url=reverse("case_detail", args=[case.pk]),
                email=False,
            )
    return cases


@transaction.atomic
def two_factor_reset(*, user, acting_user, request=None) -> int:
    """Remove a user's authenticator and backup codes: at their next sign-in they set up a
    new one (the two-factor page makes it). Used when a phone is lost."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_change(
        user,
        by=acting_user,
        request=request,
        changes={"two_factor_devices": [removed, 0]},
        reason="Two-factor device reset",
    )
    return removed
