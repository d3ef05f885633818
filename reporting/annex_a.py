"""Ofsted ILACS Annex A, List 2: early help.

Version followed: the List 2 layout in /shared/STANDARDS.md (eight columns, exact headers,
letter-prefixed codes, dd/mm/yyyy dates), which matches the column order of Social Finance's
liia-tools `liiatools/spec/annex_a/la-agg.yml` (List 2 sort order; its ninth column "LA" is
added by the regional aggregation, not by the local authority's own return). Ofsted sends the
template as a workbook with one sheet per list, headers in row 1: the Excel file has one
sheet named "List 2".

Scope (Ofsted's wording, paraphrased): every early help assessment in the period (Ofsted asks
for the six months before the inspection), plus current early help interventions the local
authority coordinates. Here: an assessment started or completed in the period, or on a case
still open at the period's end. One row per child per assessment (the columns describe a
child; an assessment covers each child in the household's episode).
"""

import datetime
from collections.abc import Iterator

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from assessments.models import Assessment, AssessmentVersion
from cases.codes import ANNEX_A_ETHNICITY, ANNEX_A_GENDER, Ethnicity, Gender
from reporting.selectors import Period

SHEET_NAME = "List 2"
HEADER = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Assessment start date",
    "Assessment completion date",
    "Organisation completing assessment",
]


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def cases_counted(user, scope) -> QuerySet:
    """The cases the return counts: every case in the user's reach, restricted families
    included. A restriction limits who sees names, not what the statutory return counts, and
    List 2 has no names (issue 17, point 14)."""
    from cases.access import cases_in_scope

    if scope.aggregate_only:
        return scope.cases
    cases = cases_in_scope(user)
    if scope.district is not None:
        cases = cases.filter(district=scope.district)
    if scope.agency is not None:
        cases = cases.filter(lead_agency=scope.agency)
    return cases


def assessments_in(cases: QuerySet, period: Period) -> QuerySet:
    completed = (
        AssessmentVersion.objects.filter(assessment_id=OuterRef("pk"), number=1)
        .annotate(day=TruncDate("signed_off_at"))
        .values("day")[:1]
    )
    return (
        Assessment.objects.filter(case__in=cases.values("pk"), started_on__lte=period.end)
        .annotate(completed_on=Subquery(completed))
        .filter(
            Q(started_on__gte=period.start)
            | Q(completed_on__gte=period.start, completed_on__lte=period.end)
            | Q(case__closed_on__isnull=True)
            | Q(case__closed_on__gt=period.end)
        )
    )


def rows(cases: QuerySet, period: Period) -> Iterator[list]:
    """One query for every row: children joined to their case's assessment."""
    values = (
        assessments_in(cases, period)
        .filter(case__children__isnull=False)
        .values(
            "started_on",
            "completed_on",
            "case__lead_agency__name",
            "case__children__id",
            "case__children__gender",
            "case__children__ethnicity",
            "case__children__date_of_birth",
        )
        .order_by("started_on", "pk", "case__children__id")
    )
    for row in values.iterator(chunk_size=2000):
        born = row["case__children__date_of_birth"]
        age = _age(born, period.end)
        yield [
            str(row["case__children__id"]),
            ANNEX_A_GENDER.get(row["case__children__gender"], ANNEX_A_GENDER[Gender.NOT_RECORDED]),
            ANNEX_A_ETHNICITY.get(
                row["case__children__ethnicity"], ANNEX_A_ETHNICITY[Ethnicity.NOBT]
            ),
            _date(born),
            "" if age is None else age,
            _date(row["started_on"]),
            _date(row["completed_on"]),
            row["case__lead_agency__name"],
        ]
