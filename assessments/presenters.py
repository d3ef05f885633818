"""Shapes casework records for templates so templates stay simple."""

import datetime

from assessments import deadlines, selectors
from assessments.models import AssessmentStatus
from assessments.sections import AREAS
from cases import restriction
from cases.models import LevelOfNeed

_AREA_TITLES = {a.code: a.title for a in AREAS}


def level_label(code: int) -> str:
    return LevelOfNeed.label_for(code)


def _group_for(key: str) -> tuple[str, str]:
    if key == "family_history":
        return "family_history", "Family history"
    if key == "analysis":
        return "analysis", "Analysis"
    if key.startswith("voice__"):
        return "voices", "The voice of each child and each parent or carer"
    code = key.split("__", 1)[0]
    return code, _AREA_TITLES.get(code, code)


def _voice_person(key: str) -> int | None:
    rest = key.split("__", 1)[1] if key.startswith("voice__") else ""
    return int(rest) if rest.isdigit() else None


def shown_labels(user, labels, *, people=None) -> list[tuple[str, str]]:
    """Field labels as `user` may read them: the voice of a person restricted from them is
    'the voice of a restricted record: contact X' (cases/restriction.py), in the live form
    and in the labels a signed-off version keeps. `people`: the voices' Person records when
    the caller has them already (not read again)."""
    if people is None:
        hidden = restriction.people_labels(user, (_voice_person(k) for k, _ in labels))
    else:
        hidden = {
            p.pk: p.restriction.label
            for p in restriction.mask_people(user, people)
            if p.restriction.hidden
        }
    return [
        (key, f"Voice of {hidden[_voice_person(key)]}" if _voice_person(key) in hidden else label)
        for key, label in labels
    ]


def attendance_rows(user, meeting) -> list:
    """A meeting's attendance, each row with `.shown_name`: the name recorded, or whom to
    contact for a person restricted from `user`."""
    rows = list(meeting.attendance.all())
    hidden = restriction.people_labels(user, (a.person_id for a in rows))
    for row in rows:
        row.shown_name = hidden.get(row.person_id, row.name)
    return rows


def sections(labels, content: dict) -> list[dict]:
    """[{title, rows: [{key, label, value}]}] in reading order."""
    groups: dict[str, dict] = {}
    for key, label in labels:
        code, title = _group_for(key)
        group = groups.setdefault(code, {"code": code, "title": title, "rows": []})
        short = label.split(": ", 1)[1] if ": " in label and code in _AREA_TITLES else label
        group["rows"].append({"key": key, "label": short, "value": content.get(key, "")})
    return list(groups.values())


def form_groups(form, labels) -> list[dict]:
    """The assessment form's fields grouped into sections, for fieldsets."""
    result = []
    for section in sections(labels, {}):
        result.append(
            {
                "code": section["code"],
                "title": section["title"],
                "hint": next((a.hint for a in AREAS if a.code == section["code"]), ""),
                "fields": [form[row["key"]] for row in section["rows"]],
            }
        )
    return result


def assessment_countdown(assessment, today: datetime.date, *, case) -> str:
    if assessment is None or assessment.version_number > 1:
        return ""
    if assessment.status != AssessmentStatus.DRAFT:
        return ""
    paused = case.deadlines_paused
    return deadlines.countdown_text(assessment.due_on, today, paused=paused)


def plan_countdown(plan, today: datetime.date, *, case) -> str:
    if plan is None or plan.agreed_on:
        return ""
    paused = case.deadlines_paused
    return deadlines.countdown_text(plan.first_taf_due_on, today, paused=paused)


def diff(a, b) -> list[dict]:
    """Field-by-field comparison of two (label, content, field_labels) sides."""
    _, content_a, labels_a = a
    _, content_b, labels_b = b
    labels = dict((k, v) for k, v in labels_a)
    labels.update((k, v) for k, v in labels_b)
    rows = []
    for key, label in labels.items():
        old = str(content_a.get(key, "") or "")
        new = str(content_b.get(key, "") or "")
        rows.append({"label": label, "old": old, "new": new, "changed": old != new})
    return rows


def progress_rows(meeting) -> list[dict]:
    """Progress on each outcome at a meeting with distance travelled from the baseline."""
    rows = []
    for p in meeting.progress.select_related("outcome").all():
        base = p.outcome.baseline_scaling
        rows.append(
            {
                "outcome": p.outcome,
                "scaling": p.scaling,
                "comment": p.comment,
                "distance": None if base is None else p.scaling - base,
            }
        )
    return rows


def case_page_section(case, user, today: datetime.date) -> dict:
    """The assessment, plan and meetings on the case page (registered in apps.py)."""
    assessment = selectors.assessment_for(case, summary=True)
    plan = selectors.plan_summary_for(case)
    meetings = selectors.meetings_for(case, summary=True)
    return {
        "assessment": assessment,
        "assessment_countdown": assessment_countdown(assessment, today, case=case),
        "plan": plan,
        "meetings": meetings,
        "due_next": selectors.due_next(
            case, today, assessment=assessment, plan=plan, meetings=meetings
        ),
    }
