"""Hiding a restricted person's name in text a reader reads (cases.restriction.hidden_names
and redact): notes name people however the typist wrote them."""

import re

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.restriction import hidden_names, redact
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LABEL = "Restricted record: contact Marta Quince"


def _hidden(first_name: str, last_name: str):
    return factories.PersonFactory(
        first_name=first_name,
        last_name=last_name,
        restricted=True,
        restricted_contact="Marta Quince",
    )


def _shown(first_name: str, last_name: str):
    return factories.PersonFactory(first_name=first_name, last_name=last_name)


def test_a_hidden_persons_first_name_alone_is_redacted(practitioner):
    names = hidden_names(practitioner, [_hidden("Kai", "Osei")])
    assert redact("Kai said he was scared. Osei rang.", names) == (
        f"{LABEL} said he was scared. {LABEL} rang."
    )


def test_a_first_name_someone_shown_shares_is_left_but_the_full_name_is_redacted(practitioner):
    kai, cousin = _hidden("Kai", "Osei"), _shown("KAI", "Mensah")
    text = "Kai rang. Kai Osei was at the house."
    expected = f"Kai rang. {LABEL} was at the house."
    assert redact(text, hidden_names(practitioner, [kai, cousin])) == expected
    # A subject access request's subject, shown beside the household, counts the same.
    assert redact(text, hidden_names(practitioner, [kai], shown=[cousin])) == expected


def test_a_first_name_alone_that_is_an_ordinary_word_is_redacted_only_when_capitalised(
    practitioner,
):
    names = hidden_names(practitioner, [_hidden("Will", "Green")])
    assert redact("Mum will call about the green door.", names) == (
        f"Mum will call about the {LABEL} door."  # a last name goes in any case, as before
    )
    assert redact("We met Will; WILL and GREEN left.", names) == (
        f"We met {LABEL}; {LABEL} and {LABEL} left."
    )
    # The costs of the rule: a sentence may start with the ordinary word (the safe side),
    # and a first name typed in lower case stays; the full name goes whatever its case.
    assert redact("Will you call?", names) == f"{LABEL} you call?"
    assert redact("will green rang; will rang.", names) == f"{LABEL} rang; will rang."


def test_a_last_name_alone_is_redacted_whatever_its_case(practitioner):
    names = hidden_names(practitioner, [_hidden("Kai", "Osei"), _hidden("Osei", "Ward")])
    # Osei is one hidden person's first name and another's last name: any case goes.
    assert redact("osei rang; OSEI and Osei too.", names) == (
        f"{LABEL} rang; {LABEL} and {LABEL} too."
    )


def test_a_hyphenated_or_apostrophised_single_name_is_no_ordinary_word_and_goes_in_any_case(
    practitioner,
):
    names = hidden_names(practitioner, [_hidden("Ann-Marie", "O'Brien-Hale")])
    assert redact("ann-marie rang; it was o'brien-hale.", names) == (
        f"{LABEL} rang; it was {LABEL}."
    )


def test_a_full_name_is_redacted_whatever_its_case_and_spacing(practitioner):
    names = hidden_names(practitioner, [_hidden("Ann", "Lee")])
    assert redact("ann  LEE rang; later\nann\nlee came.", names) == (
        f"{LABEL} rang; later\n{LABEL} came."
    )


def test_a_title_before_a_hidden_full_name_or_unshared_last_name_leaves_only_the_title(
    practitioner,
):
    ann, bo = _hidden("Ann", "Lee"), _shown("Bo", "Lee")
    names = hidden_names(practitioner, [ann, bo])
    # Lee is Bo's name too: alone it stays, after a title as anywhere.
    assert redact("Ms Ann Lee rang. Mrs ann lee. Mr Lee came. Dr Lee.", names) == (
        f"Ms {LABEL} rang. Mrs {LABEL}. Mr Lee came. Dr Lee."
    )
    names = hidden_names(practitioner, [_hidden("Ann", "Quince-Fry")])
    assert redact("Mr Quince-Fry, Mrs Quince-Fry, Ms Quince-Fry, Miss Quince-Fry.", names) == (
        f"Mr {LABEL}, Mrs {LABEL}, Ms {LABEL}, Miss {LABEL}."
    )
    assert redact("Dr Ann Quince-Fry", names) == f"Dr {LABEL}"


def test_a_longer_or_hyphenated_word_is_not_the_name(practitioner):
    names = hidden_names(practitioner, [_hidden("Ann", "Lee")])
    text = "Leeds, LEEDS, Lee-Ward, Ann-Marie, Annabel and Ann Lee-Ward; Lee's car."
    assert redact(text, names) == (
        f"Leeds, LEEDS, Lee-Ward, Ann-Marie, Annabel and {LABEL} Lee-Ward; {LABEL}'s car."
    )


def test_a_shown_persons_full_name_is_not_cut_by_a_hidden_persons_single_name(practitioner):
    """A hidden child called Lee beside a shown mother Ann Lee: "Ann Lee" stays whole
    (redacting its second word would also say what the child is called); "Lee" alone goes."""
    names = hidden_names(practitioner, [_hidden("Lee", "Smith"), _shown("Ann", "Lee")])
    assert redact("ann lee rang about Lee. Lee Smith was there.", names) == (
        f"ann lee rang about {LABEL}. {LABEL} was there."
    )


def test_a_hidden_persons_preferred_and_known_as_names_are_redacted(practitioner):
    """Notes call a child what the family calls them: the preferred name and each of the
    known-as names go too (a whole name in any case, a single one as a first name)."""
    kai = _hidden("Kai", "Osei")
    kai.preferred_name, kai.other_names = "KJ", "Kai Smith; Bubba"
    names = hidden_names(practitioner, [kai])
    assert redact("KJ rang. kai smith was seen with Bubba.", names) == (
        f"{LABEL} rang. {LABEL} was seen with {LABEL}."
    )


def test_a_known_as_name_someone_shown_goes_by_is_left(practitioner):
    kai, mum = _hidden("Kai", "Osei"), _shown("Ann", "Lee")
    kai.other_names, mum.preferred_name = "Annie, Ann Lee", "Annie"
    names = hidden_names(practitioner, [kai, mum])
    assert redact("Annie and Ann Lee came; Kai stayed.", names) == (
        f"Annie and Ann Lee came; {LABEL} stayed."
    )


def test_nothing_is_redacted_for_someone_named_on_the_restriction_or_when_no_one_is_hidden(
    practitioner,
):
    kai = _hidden("Kai", "Osei")
    kai.named_people.add(practitioner)
    assert hidden_names(practitioner, [kai, _shown("Ann", "Lee")]) == {}
    assert redact("Kai said he was scared.", {}) == "Kai said he was scared."


def test_a_note_naming_a_hidden_child_by_first_name_alone_is_redacted_on_the_case_page(
    client, practitioner, district_manager, case, child
):
    """The lead, not named on the child's restriction, reads the case page: the note says
    whom to contact where it named the child. A manager named on it reads the note as typed."""
    child.first_name, child.restricted, child.restricted_contact = "Kai", True, "Marta Quince"
    child.save()
    case_services.note_add(
        case=case,
        acting_user=practitioner,
        kind="home_visit",
        title="Visit: Kai at home",
        text="Kai said he was scared of the green door.",
    )
    url = reverse("case_detail", args=[case.pk])
    html = signed_in(client, practitioner).get(url).content.decode()
    assert not re.search(r"\bKai\b", html)
    assert f"Visit: {LABEL} at home" in html
    assert f"{LABEL} said he was scared of the green door." in html
    child.named_people.add(district_manager)
    html = signed_in(client, district_manager).get(url).content.decode()
    assert "Kai said he was scared of the green door." in html
