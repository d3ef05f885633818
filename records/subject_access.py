"""Subject access: everything held about one person, as a readable PDF and as JSON
(UK GDPR Article 15). Producing it is audited as an export."""

import datetime
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from cases.models import ChronologyEntry, ConsentRecord, EarlyHelpCase, Person
from cases.restriction import hidden_names, people_labels, redact_entries, redactor
from earlyhelp.audit import audit
from earlyhelp.models import AuditAction


def _value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _redacted(value, redact: Callable[[str], str]):
    """Text anywhere in a JSON value (a change's from and to) with hidden names redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, redact) for key, item in value.items()}
    return value


def subject_access_data(person: Person, *, user) -> dict:
    """Plain data: the person, their households, cases, consent, chronology, requests for
    support and the history of changes to their record. Names are kept exactly as typed,
    except other people's restricted records, which `user` sees only as whom to contact:
    in the fields that name them, and wherever free text typed by people (chronology,
    worries, reasons for changes) names them (cases.restriction.redact)."""
    fields = _person_fields()
    memberships = list(person.memberships.select_related("family", "family__district"))
    family_ids = [m.family_id for m in memberships]
    cases = list(
        EarlyHelpCase.objects.filter(Q(children=person) | Q(family_id__in=family_ids))
        .select_related("lead_agency", "lead_professional", "district")
        .distinct()
        .order_by("opened_on", "pk")
    )
    chronology = (
        ChronologyEntry.objects.filter(case__in=cases)
        .select_related("author")
        .order_by("occurred_at", "pk")
    )
    from referrals.models import ReferralPerson

    consents = list(ConsentRecord.objects.filter(case__in=cases).select_related("given_by"))
    hidden = people_labels(user, [c.given_by_id for c in consents])
    names = hidden_names(
        user,
        Person.objects.filter(memberships__family__cases__in=cases)
        .exclude(pk=person.pk)
        .distinct(),
        shown=[person],
    )
    chronology = redact_entries(chronology, names)
    redact = redactor(names)
    return {
        "person": {
            **{f.verbose_name: _value(getattr(person, f.attname)) for f in fields},
            "first language (DfE code's name)": person.first_language_label,
        },
        "households": [
            {
                "household": m.family.name,
                "relationship": m.get_relationship_display(),
                "address": ", ".join(
                    p
                    for p in (
                        m.family.address_line_1,
                        m.family.address_line_2,
                        m.family.town,
                        m.family.postcode,
                    )
                    if p
                ),
                "district": m.family.district.name,
            }
            for m in memberships
        ],
        "cases": [
            {
                "reference": c.reference,
                "status": c.get_status_display(),
                "opened_on": _value(c.opened_on),
                "closed_on": _value(c.closed_on),
                "lead_agency": c.lead_agency.name,
                "lead_professional": c.lead_professional.full_name if c.lead_professional else "",
                "district": c.district.name,
            }
            for c in cases
        ],
        "consent": [
            {
                "given_by": hidden.get(c.given_by_id, c.given_by.full_name),
                "given_on": _value(c.given_on),
                "method": c.get_method_display(),
                "withdrawn_on": _value(c.withdrawn_on),
            }
            for c in consents
        ],
        "chronology": [
            {
                "case": EarlyHelpCase.reference_for(e.case_id),
                "when": _value(e.occurred_at),
                "kind": e.get_kind_display(),
                "title": e.title,
                "text": e.text,
                "by": e.author.full_name if e.author else "",
            }
            for e in chronology
        ],
        "requests_for_support": [
            {
                "request": r.referral_id,
                "received": _value(r.referral.received_at),
                "name_as_given": r.full_name,
                "worries": redact(r.referral.worries),
            }
            for r in ReferralPerson.objects.filter(person=person).select_related("referral")
        ],
        "history_of_changes": [
            {
                "when": _value(c.changed_at),
                "by": c.changed_by.full_name,
                "summary": redact(c.summary),
                "changes": _redacted(c.changes, redact),
            }
            for c in person.changes.select_related("changed_by")
        ],
    }


def person_rows(person: Person) -> list[tuple[str, str]]:
    """The person's record as its reader understands it, for the PDF: the code lists' words
    (not WBRI or 0), Yes or No (not a blank for No), dates as 4 May 2018. The JSON keeps
    the codes and ISO dates, for a machine."""
    rows = []
    for field in _person_fields():
        value = getattr(person, field.attname)
        if field.name == "first_language":
            shown = person.first_language_label
        elif field.name == "disabilities":
            words = dict(field.base_field.choices)
            shown = ", ".join(str(words.get(code, code)) for code in value)
        elif field.choices:
            shown = getattr(person, f"get_{field.name}_display")()
        elif isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif isinstance(value, datetime.datetime):
            shown = f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
        elif isinstance(value, datetime.date):
            shown = f"{value:%-d %B %Y}"
        else:
            shown = "" if value is None else str(value)
        rows.append((_SAID.get(field.name, str(field.verbose_name)), shown))
    return rows


# Field names Django would capitalise as words ("Nhs number"): the PDF says them as people do.
_SAID = {"nhs_number": "NHS number", "sen_status": "SEN status"}


# The lists' dates and times, which the JSON gives in ISO 8601 and the PDF in words.
_DATE_KEYS = ("opened_on", "closed_on", "given_on", "withdrawn_on", "when")


def _in_words(value: str | None) -> str | None:
    """4 May 2018; a time as the day it was where the record is kept (not the UTC day)."""
    if not value:
        return value
    if "T" in value:
        return f"{timezone.localtime(datetime.datetime.fromisoformat(value)):%-d %B %Y}"
    return f"{datetime.date.fromisoformat(value):%-d %B %Y}"


def _dates_in_words(data: dict) -> dict:
    lists = ("cases", "consent", "chronology", "history_of_changes")
    return {
        **data,
        **{
            name: [
                {key: _in_words(v) if key in _DATE_KEYS else v for key, v in row.items()}
                for row in data[name]
            ]
            for name in lists
        },
    }


def _person_fields():
    return [
        f for f in Person._meta.concrete_fields if f.name not in ("merged_into", "lock_version")
    ]


def subject_access_export(*, person: Person, acting_user, fmt: str, request=None) -> bytes:
    """The export as bytes (fmt 'pdf' or 'json'), audited."""
    import json

    data = subject_access_data(person, user=acting_user)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        from assessments.pdf import render_pdf

        body = render_pdf(
            "records/pdf/subject_access.html",
            {
                "title": f"Information held about {person.full_name}",
                "data": _dates_in_words(data),
                "person": person,
                "person_rows": person_rows(person),
            },
        )
    audit(
        user=acting_user,
        action=AuditAction.EXPORT,
        record=person,
        request=request,
        reason=f"Subject access request ({fmt.upper()})",
    )
    return body
