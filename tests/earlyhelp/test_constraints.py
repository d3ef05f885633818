"""The shared check constraints hold in PostgreSQL: a row in the named state must meet the
rule (earlyhelp.constraints.when), and a row in any other state need not."""

import pytest
from django.db import IntegrityError, transaction

from cases.models import EarlyHelpCase
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_rule_that_holds_in_one_state_binds_only_rows_in_that_state(practitioner):
    case = factories.open_case(lead=practitioner)
    cases = EarlyHelpCase.objects.filter(pk=case.pk)
    refused = pytest.raises(IntegrityError, match="closed_case_has_date_and_reason")
    with refused, transaction.atomic():
        cases.update(status="closed", closed_on=case.opened_on, closure_reason="")
    cases.update(status="awaiting_allocation", lead_professional=None)  # not open: allowed
    cases.update(status="closed", closed_on=case.opened_on, closure_reason="needs_met")
    assert cases.get().status == "closed"
