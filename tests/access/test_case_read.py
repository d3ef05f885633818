"""cases.access.CaseRead (the case page's compiled read of its case) decides exactly as
get_case_for: the same case with the same related records and annotations, or the same
refusal, for every role in every situation."""

import pytest
from django.http import Http404

from cases import access, selectors
from earlyhelp.errors import RestrictedRecord
from tests.access.conftest import ROLES, SITUATIONS

RELATED = ("lead_professional", "lead_agency")


def _outcome(read, *, plain: bool = False):
    try:
        case = read()
    except (Http404, RestrictedRecord) as refusal:
        return type(refusal).__name__
    if plain:
        return (case.pk, case.family.pk, case.status, case.lead_professional_id)
    return (
        case.pk,
        case.family.pk,
        case.family.restricted,
        case.lead_professional.full_name,
        case.lead_agency.name,
        sorted(case.child_ids),
        case.has_no_consent_decisions,
        case.has_step_events,
        case.has_closure_requests,
        case.has_step_up_requests,
    )


@pytest.mark.parametrize("plain", [False, True], ids=["case page", "assessment pages"])
@pytest.mark.parametrize("role", ROLES)
def test_the_compiled_case_read_decides_as_get_case_for(world, role, plain):
    """The case page's read (related records, annotations) and the assessment pages' plain
    one (assessments.views._case)."""
    user = world.actors[role]
    read = access.CaseRead(related=RELATED, annotations=selectors.case_page_annotations)
    if plain:
        read = access.CaseRead()
    outcomes = {}
    for situation in SITUATIONS:
        pk = world.cases[situation].pk
        compiled = _outcome(lambda pk=pk: read.get(user, pk), plain=plain)
        expected = _outcome(
            lambda pk=pk: (
                access.get_case_for(user, pk)
                if plain
                else access.get_case_for(
                    user, pk, related=RELATED, annotations=selectors.case_page_annotations()
                )
            ),
            plain=plain,
        )
        assert compiled == expected, situation
        outcomes[situation] = compiled
    # Not vacuous: the lead's manager reads the case in scope and is refused the rest.
    if role == "team_manager":
        assert outcomes["in_scope"][0] == world.cases["in_scope"].pk
        assert outcomes["out_of_scope"] == "Http404"
        assert outcomes["restricted"] == "RestrictedRecord"


def test_an_id_that_is_not_a_case_is_not_found(world):
    read = access.CaseRead(related=RELATED, annotations=selectors.case_page_annotations)
    manager = world.actors["team_manager"]
    for pk in (10**9, -1, "12x"):
        with pytest.raises(Http404):
            read.get(manager, pk)
