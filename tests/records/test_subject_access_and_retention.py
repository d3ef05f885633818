"""Subject access exports and the retention schedule (issue 13, point 6)."""

import datetime
import io
import json

import pytest
from django.db import connection
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from psycopg2 import sql
from pypdf import PdfReader

from assessments.models import MeetingAttendance, TafMeeting
from cases import upkeep
from cases.models import (
    ChronologyEntry,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    Person,
    RecordChange,
    TeamAroundFamilyMember,
)
from earlyhelp.models import AuditAction, AuditEvent
from oversight.models import Consultation, ConsultationOutcome, Supervision, SupervisionKind
from records import retention
from records.models import RetentionReview, RetentionSchedule, ReviewStatus
from referrals.models import Referral, ReferralPerson
from tests import factories
from tests.conftest import signed_in
from tests.reporting import factories as build

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_a_manager_downloads_everything_held_as_json_and_pdf_and_it_is_audited(
    client, practitioner, district_manager, child
):
    upkeep.person_update(
        person=child,
        acting_user=practitioner,
        lock_version=1,
        data={"first_name": "Zoë-Siân", "last_name": "O'Brien-Nguyễn"},
    )
    signed_in(client, district_manager)
    page = client.get(reverse("subject_access", args=[child.pk]))
    assert page.status_code == 200
    response = client.get(reverse("subject_access_download", args=[child.pk, "json"]))
    assert response.status_code == 200
    data = json.loads(response.content.decode("utf-8"))
    assert data["person"]["first name"] == "Zoë-Siân"
    assert data["person"]["first language (DfE code's name)"] == "Information not obtained"
    assert data["cases"][0]["reference"].startswith("EH-")
    assert data["history_of_changes"][0]["changes"]["First name"][1] == "Zoë-Siân"
    pdf = client.get(reverse("subject_access_download", args=[child.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Zoë-Siân" in text and "O'Brien-Nguyễn" in text
    assert pdf["Content-Disposition"].startswith("attachment")
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, person_id=child.pk)
    assert exports.count() == 2
    assert all("Subject access" in e.reason for e in exports)


def test_a_practitioner_cannot_export_subject_access(client, practitioner, child):
    signed_in(client, practitioner)
    assert client.get(reverse("subject_access", args=[child.pk])).status_code == 403
    assert (
        client.get(reverse("subject_access_download", args=[child.pk, "json"])).status_code == 403
    )


def _old_closed_family(lead) -> Family:
    case = factories.closed_case(lead=lead, closed_on=datetime.date(2000, 6, 1))
    Person.objects.filter(memberships__family=case.family).update(
        date_of_birth=datetime.date(1970, 1, 1)
    )
    Person.objects.filter(
        memberships__family=case.family, memberships__relationship="child"
    ).update(nhs_number="9434765919")
    ChronologyEntry.objects.create(
        case=case,
        kind="note",
        title="Visit",
        text="Mum said the flat is damp",
        author=lead,
        occurred_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    )
    return case.family


def test_the_monthly_job_lists_families_past_retention_once(practitioner, district_manager):
    old = _old_closed_family(practitioner)
    recent = factories.closed_case(lead=practitioner)  # its child is 8: kept for years
    listed = retention.retention_list_due(today=TODAY)
    assert [r.family_id for r in listed] == [old.pk]
    assert recent.family_id not in {r.family_id for r in listed}
    assert retention.retention_list_due(today=TODAY) == []
    assert district_manager.notifications.filter(subject__contains="past retention").exists()


def test_the_schedule_is_configurable(practitioner):
    old = _old_closed_family(practitioner)  # youngest born 1970: 25 in 1995
    schedule = RetentionSchedule.current()
    schedule.extra_years = 50  # kept until 2045
    schedule.save()
    assert retention.retention_list_due(today=TODAY) == []
    schedule.extra_years = 0
    schedule.save()
    assert [r.family_id for r in retention.retention_list_due(today=TODAY)] == [old.pk]


def test_the_monthly_job_is_on_the_beat_schedule():
    task = PeriodicTask.objects.get(task="records.tasks.retention_list_due")
    assert (task.crontab.day_of_month, task.crontab.hour) == ("1", "3")


def test_approved_disposal_removes_personal_data_and_leaves_a_stub(
    client, practitioner, district_manager
):
    family = _old_closed_family(practitioner)
    child = Person.objects.get(memberships__family=family, memberships__relationship="child")
    name = family.name
    RecordChange.objects.create(
        person=child, summary="x", changes={"First name": ["Old", "New"]}, changed_by=practitioner
    )
    [review] = retention.retention_list_due(today=TODAY)
    signed_in(client, district_manager)
    assert name in client.get(reverse("retention_list")).content.decode()
    response = client.post(reverse("retention_decide", args=[review.pk]), {"decision": "dispose"})
    assert response.status_code == 302
    family.refresh_from_db()
    child.refresh_from_db()
    assert family.name != name and family.postcode == ""
    assert (child.first_name, child.nhs_number, child.date_of_birth) == (
        "Disposed",
        None,
        datetime.date(1970, 1, 1),
    )
    assert not RecordChange.objects.filter(person=child).exists()
    texts = ChronologyEntry.objects.filter(case__family=family).values_list("text", flat=True)
    assert texts and set(texts) == {""}  # the note and the closure's entry alike
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISPOSED
    assert review.decided_by == district_manager
    assert review.disposed_summary["people"] == 2
    stub = AuditEvent.objects.get(
        record_type="family", record_id=family.pk, changes__has_key="disposed"
    )
    assert district_manager.full_name in stub.reason
    assert EarlyHelpCase.objects.filter(family=family).count() == 1  # counts still add up


def test_keeping_a_record_needs_a_reason(client, practitioner, district_manager):
    _old_closed_family(practitioner)
    [review] = retention.retention_list_due(today=TODAY)
    signed_in(client, district_manager)
    response = client.post(
        reverse("retention_decide", args=[review.pk]), {"decision": "keep", "note": ""}
    )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    client.post(
        reverse("retention_decide", args=[review.pk]),
        {"decision": "keep", "note": "Court case pending"},
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.KEPT


def test_a_manager_of_another_district_cannot_decide(client, practitioner, other_district, eh_team):
    _old_closed_family(practitioner)
    [review] = retention.retention_list_due(today=TODAY)
    elsewhere = factories.UserFactory(
        role="team_manager", agency=eh_team, districts=[other_district]
    )
    signed_in(client, elsewhere)
    assert client.get(reverse("retention_decide", args=[review.pk])).status_code == 404
    assert RetentionReview.objects.get(pk=review.pk).status == ReviewStatus.PENDING


def _rows_mentioning(needle: str) -> list[str]:
    """Tables with a row whose text holds `needle` (the audit trail's values are checked on
    their own: its rows stay, and so does the name of whoever acted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
            "AND table_name <> 'earlyhelp_auditevent'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        found = []
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {} t WHERE t::text ILIKE %s")
            cursor.execute(query.format(sql.Identifier(table)), [needle])
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def test_disposal_leaves_no_name_address_or_contact_anywhere(
    practitioner, district_manager, consultant
):
    family = _old_closed_family(practitioner)
    case = family.cases.get()
    child = Person.objects.get(memberships__family=family, memberships__relationship="child")
    Person.objects.filter(memberships__family=family).update(last_name="Quarrington")
    Person.objects.filter(pk=child.pk).update(first_name="Ottoline")
    Family.objects.filter(pk=family.pk).update(name="Quarrington", postcode="LA1 4XQ")
    factories.PersonFactory(first_name="Ottoline", last_name="Quarrington", merged_into=child)
    referral = build.referral(
        by=practitioner, received_on=datetime.date(2000, 1, 1), family=family, status="decided"
    )
    Referral.objects.filter(pk=referral.pk).update(
        referrer_name="Wilhelmina Referrer",
        referrer_role="Wilhelmina's role",
        referrer_email="wilhelmina@example.org",
        referrer_phone="07700 900461",
        address_line_1="12 Zanzibar Row",
        postcode="LA1 4XQ",
        worries="Ottoline is often hungry",
    )
    ReferralPerson.objects.create(
        referral=referral, first_name="Ottoline", last_name="Quarrington", relationship="child"
    )
    TeamAroundFamilyMember.objects.create(
        case=case,
        agency=practitioner.agency,
        contact_name="Xanthe Outsider",
        contact_email="xanthe@example.org",
        contact_phone="07700 900462",
        joined_on=datetime.date(2000, 1, 1),
    )
    meeting = TafMeeting.objects.create(
        case=case,
        kind="review",
        scheduled_for=datetime.date(2000, 3, 1),
        location="12 Zanzibar Row",
        scheduled_by=practitioner,
    )
    MeetingAttendance.objects.create(
        meeting=meeting, person=child, name="Yolanda Quarrington", attendance="present"
    )
    Consultation.objects.create(
        consultant=consultant,
        district=family.district,
        asked_on=datetime.date(2000, 1, 1),
        asked_by_name="Wilhelmina Referrer",
        family=family,
        question="Should I refer Ottoline?",
        advice="Yes",
        outcome=ConsultationOutcome.choices[0][0],
    )
    Supervision.objects.create(
        case=case,
        kind=SupervisionKind.choices[0][0],
        held_on=datetime.date(2000, 2, 1),
        discussion="Ottoline's school",
        decisions="Carry on",
        recorded_by=district_manager,
    )
    needles = [
        "Ottoline",
        "Quarrington",
        "LA1 4XQ",
        "Zanzibar",
        "Wilhelmina",
        "900461",
        "Xanthe",
        "900462",
    ]
    assert all(_rows_mentioning(f"%{needle}%") for needle in needles)
    # An earlier correction quoted the old and new names in the audit trail.
    upkeep.person_update(
        person=child, acting_user=practitioner, lock_version=1, data={"first_name": "Ottilie"}
    )
    audit_rows = AuditEvent.objects.filter(person_id=child.pk).count()
    [review] = retention.retention_list_due(today=TODAY)
    retention.retention_decide(review=review, acting_user=district_manager, approve=True)
    left = {needle: _rows_mentioning(f"%{needle}%") for needle in needles + ["Ottilie"]}
    assert left == {needle: [] for needle in needles + ["Ottilie"]}
    # The audit trail keeps every row (who, what, when) but not the values it quoted.
    about_child = AuditEvent.objects.filter(person_id=child.pk)
    assert about_child.count() == audit_rows
    assert not about_child.filter(changes__icontains="Ottilie").exists()
    assert not AuditEvent.objects.filter(changes__icontains="Quarrington").exists()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISPOSED
    assert Referral.objects.filter(family=family).count() == 1  # the row stays, emptied


def test_a_parent_who_also_lives_in_a_household_still_kept_keeps_their_details(
    practitioner, district_manager
):
    family = _old_closed_family(practitioner)
    parent = Person.objects.get(memberships__family=family, memberships__relationship="parent")
    other_home = factories.open_case(lead=practitioner).family
    FamilyMembership.objects.create(family=other_home, person=parent, relationship="parent")
    [review] = retention.retention_list_due(today=TODAY)
    retention.retention_decide(review=review, acting_user=district_manager, approve=True)
    kept = Person.objects.get(pk=parent.pk)
    assert (kept.first_name, kept.date_of_birth) == (parent.first_name, parent.date_of_birth)
    child = Person.objects.get(memberships__family=family, memberships__relationship="child")
    assert child.first_name == "Disposed"


@pytest.mark.parametrize("named", [False, True])
def test_a_restricted_family_past_retention_is_listed_by_record_number_only(
    client, practitioner, district_manager, named
):
    """Issue 17, point 1: the retention pages name a restricted family only to the people
    named on it; a manager who is not named decides by record number and whom to contact."""
    family = _old_closed_family(practitioner)
    family.name, family.restricted = "Quillfeather household", True
    family.restricted_contact = "Hollis Grange on 0300 555 0101"
    family.save()
    if named:
        family.named_people.add(district_manager)
    review = retention.retention_list_due(today=TODAY)[0]
    signed_in(client, district_manager)
    pages = [
        client.get(reverse("retention_list")).content.decode(),
        client.get(reverse("retention_decide", args=[review.pk])).content.decode(),
    ]
    for page in pages:
        assert ("Quillfeather household" in page) is named
        assert ("Restricted record: contact Hollis Grange" in page) is not named
        assert str(review.family_number) in page


def test_a_restricted_parent_in_a_childs_export_is_only_whom_to_contact(
    client, practitioner, district_manager, case, child
):
    """Issue 17, point 1: another person's restricted record stays restricted in a subject
    access export and in the case's chronology (names written into it when consent was
    recorded); a manager named on the restriction sees the name."""
    from cases import services as case_services

    parent = factories.PersonFactory(first_name="Philippa", last_name="Quennell-Voss")
    FamilyMembership.objects.create(family=case.family, person=parent, relationship="parent")
    case_services.consent_record(
        case=case,
        given_by=parent,
        given_on=TODAY,
        method="in_person",
        shared_with=[],
        acting_user=practitioner,
    )
    Person.objects.filter(pk=parent.pk).update(
        restricted=True, restricted_contact="Marta Quince, 01632 960000"
    )
    signed_in(client, district_manager)
    url = reverse("subject_access_download", args=[child.pk, "json"])
    given_by = json.loads(client.get(url).content)["consent"][0]["given_by"]
    assert "Quennell-Voss" not in given_by and "Marta Quince" in given_by
    pdf = client.get(reverse("subject_access_download", args=[child.pk, "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Quennell-Voss" not in text and "Marta Quince" in text
    # The same on the case page, whose chronology says who gave consent.
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert (
        "Quennell-Voss" not in page and "Consent given by Restricted record: contact Marta" in page
    )
    parent.named_people.add(district_manager)
    assert (
        "Consent given by Philippa Quennell-Voss"
        in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    )
    given_by = json.loads(client.get(url).content)["consent"][0]["given_by"]
    assert given_by == "Philippa Quennell-Voss"


def _restricted_parent(case, first_name: str, last_name: str) -> Person:
    parent = factories.PersonFactory(
        first_name=first_name,
        last_name=last_name,
        restricted=True,
        restricted_contact="Marta Quince, 01632 960000",
    )
    FamilyMembership.objects.create(family=case.family, person=parent, relationship="parent")
    return parent


def _export(client, manager, child) -> dict:
    url = reverse("subject_access_download", args=[child.pk, "json"])
    return json.loads(signed_in(client, manager).get(url).content)


def test_a_restricted_persons_name_is_redacted_from_free_text_however_it_was_typed(
    client, practitioner, district_manager, case, child
):
    """Notes and a request's worries are typed by people: the restricted person's full
    name or last name, in any case, becomes whom to contact, in the chronology and in the
    worries alike; a longer word that merely starts with the name is left alone."""
    from cases import services as case_services

    _restricted_parent(case, "Philippa", "Quennell-Voss")
    case_services.note_add(
        case=case,
        acting_user=practitioner,
        kind="home_visit",
        title="Visit with PHILIPPA QUENNELL-VOSS",
        text="philippa quennell-voss was at the house.\nMs Quennell-Voss's car was outside "
        "Quennell-Vossley Primary.",
    )
    referral = build.referral(by=practitioner, received_on=TODAY, family=case.family)
    Referral.objects.filter(pk=referral.pk).update(
        worries="Philippa  Quennell-Voss shouts at the children."
    )
    ReferralPerson.objects.create(
        referral=referral, person=child, first_name=child.first_name, last_name=child.last_name
    )
    data = _export(client, district_manager, child)
    (visit,) = [e for e in data["chronology"] if e["kind"] == "Home visit"]
    label = "Restricted record: contact Marta Quince, 01632 960000"
    assert visit["title"] == f"Visit with {label}"
    assert visit["text"] == (
        f"{label} was at the house.\nMs {label}'s car was outside Quennell-Vossley Primary."
    )
    assert data["requests_for_support"][0]["worries"] == f"{label} shouts at the children."
    # The case page's chronology hides the name by the same rule.
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "quennell-voss" not in page.lower().replace("quennell-vossley", "")


def test_a_correction_to_a_note_hides_the_restricted_name_on_the_case_page(
    client, practitioner, district_manager, case, child
):
    """A corrected note shows its corrections (text and reason) on the case page: a
    restricted person's name typed into one is hidden there as in the note itself."""
    from cases import services as case_services

    _restricted_parent(case, "Philippa", "Quennell-Voss")
    entry = case_services.note_add(
        case=case, acting_user=practitioner, kind="note", text="A parent rang about school."
    )
    case_services.note_correct(
        entry=entry,
        acting_user=practitioner,
        text="Philippa Quennell-Voss rang about school.",
        reason="It was quennell-voss who rang, not the other parent.",
    )
    page = signed_in(client, district_manager).get(reverse("case_detail", args=[case.pk]))
    html = page.content.decode()
    assert "Corrected" in html
    assert "quennell-voss" not in html.lower()
    assert "Restricted record: contact Marta Quince, 01632 960000 rang about school." in html


def test_a_last_name_the_subject_shares_is_left_but_the_full_name_is_redacted(
    client, practitioner, district_manager, case, child
):
    """Redacting a shared surname alone would take the subject's own name out of their
    own record; the restricted person's full name still goes, in any case."""
    from cases import services as case_services

    _restricted_parent(case, "Dean", child.last_name)
    case_services.note_add(
        case=case,
        acting_user=practitioner,
        kind="note",
        text=f"dean {child.last_name.lower()} rang. {child.full_name} is settled at school.",
    )
    data = _export(client, district_manager, child)
    (note,) = [e for e in data["chronology"] if e["kind"] == "Case note"]
    assert note["text"] == (
        f"Restricted record: contact Marta Quince, 01632 960000 rang. {child.full_name} is "
        "settled at school."
    )


def test_disposal_may_remove_quoted_values_from_the_audit_trail_and_nothing_else(child):
    """The append-only trigger lets a disposal replace an audit row's quoted values with the
    marker, and refuses every other change, even inside a disposal."""
    from django.db import DatabaseError, transaction

    event = AuditEvent.objects.create(
        action=AuditAction.CHANGE, person_id=child.pk, changes={"First name": ["Ann", "Anna"]}
    )
    marker = json.dumps(retention.DISPOSED_VALUES)
    for sql_text, params in (
        ("UPDATE earlyhelp_auditevent SET changes = %s::jsonb WHERE id = %s", [marker, event.pk]),
        (
            "UPDATE earlyhelp_auditevent SET reason = 'x', changes = %s::jsonb WHERE id = %s",
            [marker, event.pk],
        ),
        ("UPDATE earlyhelp_auditevent SET changes = '{}'::jsonb WHERE id = %s", [event.pk]),
        ("DELETE FROM earlyhelp_auditevent WHERE id = %s", [event.pk]),
    ):
        redaction = sql_text.startswith("UPDATE") and "reason" not in sql_text
        for setting in ("",) if redaction else ("", "disposal"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(f"SET LOCAL earlyhelp.audit_redaction = '{setting}'")
                c.execute(sql_text, params)
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL earlyhelp.audit_redaction = 'disposal'")
        c.execute(
            "UPDATE earlyhelp_auditevent SET changes = %s::jsonb WHERE id = %s", [marker, event.pk]
        )
    event.refresh_from_db()
    assert event.changes == retention.DISPOSED_VALUES and event.person_id == child.pk
