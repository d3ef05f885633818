"""The supervision section of the case page (registered in OversightConfig.ready)."""

import datetime

from oversight import access, selectors


def case_page_section(case, user, today: datetime.date) -> dict:
    records = selectors.supervisions_for(case)
    latest = records[0] if records else None
    return {
        "supervisions": records,
        "supervision_due_on": latest.next_supervision_on if latest else None,
        "supervision_overdue": bool(
            case.is_open
            and latest
            and latest.next_supervision_on
            and latest.next_supervision_on < today
        ),
        "may_supervise": case.is_open and access.may_supervise(user, case),
    }
