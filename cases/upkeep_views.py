"""Pages that keep people and families up to date (cases/upkeep.py does the work).

Views are thin: parse the form, call the service, put RecordErrors next to their fields
and keep everything typed. A stale lock_version is shown as a conflict, never saved."""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from cases import access, upkeep, upkeep_access, upkeep_forms
from cases.models import Family, FamilyMembership, Person
from earlyhelp import pages
from earlyhelp.wording import term
from partners import doors
from partners.models import District, User

TEMPLATE = "people/upkeep_form.html"


def _form_page(
    request,
    *,
    form,
    title: str,
    action: Callable[[dict], tuple[str, str]],
    record=None,
    back: str = "",
    button: str = "Save changes",
    lede: str = "",
    extra: dict | None = None,
):
    """On a valid POST run `action(cleaned_data)` -> (message, next url); a stale edit shows
    the record's last changes (see earlyhelp.pages). "Back" is the record's page unless given."""
    submission = pages.submit(request, form, action, record=record)
    if submission.repeated:
        return pages.repeated(request, back or record.get_absolute_url())
    if submission:
        message, next_url = submission.result
        messages.success(request, message)
        return redirect(next_url)
    history = []
    if submission.conflict and record is not None:
        history = list(record.changes.select_related("changed_by")[:3])
    context = {
        "form": form,
        "title": title,
        "back": back or record.get_absolute_url(),
        "button": button,
        "lede": lede,
        "record": record,
        "conflict_history": history,
        **(extra or {}),
    }
    return render(request, TEMPLATE, context, status=400 if form.errors else 200)


def _correct(request, update, data: dict) -> None:
    """A correction through `update` (upkeep.person_update or family_update, given the
    record): the form's fields are the changes, its lock_version the version they were
    made to."""
    changes = dict(data)
    lock_version = changes.pop("lock_version")
    update(acting_user=request.user, lock_version=lock_version, data=changes, request=request)


def _person_initial(person: Person) -> dict:
    initial = {
        name: getattr(person, name)
        for name in upkeep_forms.PersonForm.base_fields
        if name != "lock_version"
    }
    initial["lock_version"] = person.lock_version
    initial["nhs_number"] = person.nhs_number or ""
    initial["upn"] = person.upn or ""
    return initial


@doors.CASE_WORKERS
def person_edit(request, pk: int):
    person = upkeep_access.get_person_for_upkeep(request.user, pk)
    form = upkeep_forms.PersonForm(
        request.POST or None, person=person, initial=_person_initial(person)
    )

    def save(data):
        _correct(request, partial(upkeep.person_update, person=person), data)
        return f"{person.full_name}'s record is updated.", person.get_absolute_url()

    return _form_page(
        request,
        form=form,
        record=person,
        title=f"Change {person.full_name}'s details",
        action=save,
    )


@doors.CASE_WORKERS
def record_birth(request, pk: int):
    person = upkeep_access.get_person_for_upkeep(request.user, pk)
    if not person.is_unborn:
        messages.info(request, f"{person.full_name}'s birth is already recorded.")
        return redirect(person.get_absolute_url())
    form = upkeep_forms.BirthForm(
        request.POST or None,
        initial={"lock_version": person.lock_version, "gender": person.gender},
    )

    def save(data):
        upkeep.birth_record(person=person, acting_user=request.user, request=request, **data)
        return "The birth is recorded.", person.get_absolute_url()

    return _form_page(
        request,
        form=form,
        record=person,
        title="Record the birth",
        lede=f"Expected {person.expected_date:%-d %B %Y}." if person.expected_date else "",
        action=save,
        button="Record the birth",
    )


@doors.CASE_WORKERS
def family_edit(request, pk: int):
    family = upkeep_access.get_family_for_upkeep(request.user, pk)
    form = upkeep_forms.FamilyForm(
        request.POST or None,
        initial={
            "lock_version": family.lock_version,
            **{
                n: getattr(family, n)
                for n in ("name", "address_line_1", "address_line_2", "town", "postcode")
            },
        },
    )

    def save(data):
        _correct(request, partial(upkeep.family_update, family=family), data)
        return "The household's details are updated.", family.get_absolute_url()

    return _form_page(
        request,
        form=form,
        record=family,
        title="Correct the household's details",
        lede="To record a move to a new home, use 'Moving address' instead.",
        action=save,
    )


@doors.CASE_WORKERS
def family_move(request, pk: int):
    family = upkeep_access.get_family_for_upkeep(request.user, pk)
    form = upkeep_forms.MoveForm(
        request.POST or None,
        initial={"lock_version": family.lock_version, "district": family.district_id},
    )

    def save(data):
        data = dict(data)
        district = (
            None
            if data["district"] == upkeep_forms.OUTSIDE
            else get_object_or_404(District, pk=data["district"])
        )
        result = upkeep.family_move(
            family=family,
            acting_user=request.user,
            lock_version=data["lock_version"],
            address={k: data[k] for k in ("address_line_1", "address_line_2", "town", "postcode")},
            district=district,
            moved_on=data.get("moved_on"),
            request=request,
        )
        if result.out_of_area:
            return (
                "The new address is saved. The family has moved out of the area: record the "
                "transfer below.",
                f"{family.get_absolute_url()}moved-out/",
            )
        return "The new address is saved.", family.get_absolute_url()

    return _form_page(
        request,
        form=form,
        record=family,
        title="Moving address",
        lede=(
            "If the new address is in another district, the family's open cases move with "
            "them and that district's team managers are told."
        ),
        action=save,
    )


@doors.CASE_WORKERS
def family_transfer_out(request, pk: int):
    family = upkeep_access.get_family_for_upkeep(request.user, pk)
    form = upkeep_forms.TransferOutForm(request.POST or None)

    def save(data):
        closed = upkeep.family_transfer_out(
            family=family, acting_user=request.user, request=request, **data
        )
        return (
            f"Transfer recorded. {len(closed)} open case{'s' if len(closed) != 1 else ''} "
            "closed as moved out of area.",
            family.get_absolute_url(),
        )

    return _form_page(
        request,
        form=form,
        record=family,
        title="Moved out of area",
        lede=(
            f"Record the authority the family moved to. Their open {term('early help')} cases "
            "close as "
            "'moved out of area'; the history is kept."
        ),
        action=save,
        button="Record the transfer",
    )


@doors.CASE_WORKERS
def member_add(request, pk: int):
    family = upkeep_access.get_family_for_upkeep(request.user, pk)
    form = upkeep_forms.MemberAddForm(
        request.POST or None, initial={"lock_version": family.lock_version, "gender": "0"}
    )

    def save(data):
        membership = upkeep.member_add(
            family=family,
            acting_user=request.user,
            lock_version=data["lock_version"],
            relationship=data["relationship"],
            since=data.get("since"),
            person_data={
                k: data.get(k)
                for k in ("first_name", "last_name", "date_of_birth", "expected_date", "gender")
            },
            request=request,
        )
        return f"{membership.person.full_name} added to the household.", family.get_absolute_url()

    return _form_page(
        request,
        form=form,
        record=family,
        title="Add someone to the household",
        action=save,
        button="Add to the household",
    )


@doors.CASE_WORKERS
def member_remove(request, pk: int, membership_id: int):
    family = upkeep_access.get_family_for_upkeep(request.user, pk)
    membership = get_object_or_404(
        FamilyMembership.objects.select_related("person"), pk=membership_id, family=family
    )
    form = upkeep_forms.MemberRemoveForm(
        request.POST or None, initial={"lock_version": family.lock_version}
    )

    def save(data):
        upkeep.member_remove(
            membership=membership, acting_user=request.user, request=request, **data
        )
        return (
            f"{membership.person.full_name} removed from the household.",
            family.get_absolute_url(),
        )

    return _form_page(
        request,
        form=form,
        record=family,
        title=f"Remove {membership.person.full_name} from the household",
        lede="Their own record and its history stay.",
        action=save,
        button="Remove from the household",
    )


def _restriction_users(record):
    """Who may be named: active staff who work in the family's districts, plus anyone
    already named."""
    from django.db.models import Q

    family_ids = (
        [record.pk]
        if isinstance(record, Family)
        else list(record.memberships.values_list("family_id", flat=True))
    )
    districts = Family.objects.filter(pk__in=family_ids).values("district_id")
    in_districts = access.excluding_figures_only(
        User.objects.filter(is_active=True, districts__in=districts)
    )
    return (
        User.objects.filter(
            Q(pk__in=in_districts.values("pk")) | Q(pk__in=record.named_people.values("pk"))
        )
        .select_related("agency")
        .distinct()
        .order_by("full_name")
    )


@doors.AUDIT_READERS
def restriction(request, kind: str, pk: int):
    """Restrict a person or family to named people, or lift the restriction."""
    record = upkeep_access.get_record_for_restriction(request.user, kind, pk)
    show_identity = upkeep_access.may_see_identity(request.user, record)
    label = (
        (record.full_name if kind == "person" else record.name)
        if show_identity
        else f"{kind.title()} record {record.pk}"
    )
    back = record.get_absolute_url() if show_identity else "/"
    if record.restricted:
        form = upkeep_forms.UnrestrictForm(request.POST or None)

        def save(data):
            upkeep.record_unrestrict(
                record=record, acting_user=request.user, reason=data["reason"], request=request
            )
            return "The restriction is lifted.", back

        title, button = f"Lift the restriction on {label}", "Lift the restriction"
    else:
        form = upkeep_forms.RestrictForm(
            request.POST or None,
            users=_restriction_users(record),
            initial={"named_people": list(record.named_people.values_list("pk", flat=True))},
        )

        def save(data):
            upkeep.record_restrict(
                record=record,
                acting_user=request.user,
                reason=data["reason"],
                contact=data["contact"],
                named_people=list(data["named_people"]),
                request=request,
            )
            return "The record is restricted to the named people.", back

        title, button = f"Restrict {label}", "Restrict the record"
    return _form_page(
        request,
        form=form,
        record=None,
        title=title,
        lede=(
            "Only the named people will see the record. Everyone else sees that a "
            "restricted record exists and whom to contact."
        ),
        action=save,
        back=back,
        button=button,
        extra={"restricting": not record.restricted},
    )
