"""Reads for supervision and consultations, always starting from the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from cases.access import cases_visible_to, get_in_scope
from cases.models import CaseStatus, EarlyHelpCase
from earlyhelp.compiled import STAND_IN, CompiledRead
from oversight import conf
from oversight.access import keeps_consultation_log, reads_district_consultations
from oversight.models import Consultation, ConsultationOutcome, Supervision

# Compiled once per process (earlyhelp/compiled.py): every view of a case page reads it.
_SUPERVISIONS = CompiledRead(
    lambda case_id: Supervision.objects.filter(case_id=case_id).select_related("recorded_by"),
    case_id=STAND_IN,
)


def supervisions_for(case: EarlyHelpCase) -> list[Supervision]:
    records = _SUPERVISIONS.rows(case_id=case.pk)
    for record in records:
        record.case = case
    return records


def _latest(field: str):
    return Subquery(
        Supervision.objects.filter(case_id=OuterRef("pk"))
        .order_by("-held_on", "-pk")
        .values(field)[:1],
        output_field=DateField(),
    )


def supervision_due_cases(cases: QuerySet[EarlyHelpCase], today: datetime.date) -> QuerySet:
    """Open cases with their supervision due date: the next date set at the last
    supervision, or (never supervised) the interval after opening. Annotated `due_on`."""
    interval = datetime.timedelta(days=conf.supervision_interval_days())
    return (
        cases.filter(status=CaseStatus.OPEN)
        .annotate(
            last_supervised_on=_latest("held_on"),
            next_set_on=_latest("next_supervision_on"),
        )
        .annotate(
            due_on=Coalesce(
                "next_set_on",
                Cast(
                    Coalesce("last_supervised_on", "opened_on") + Value(interval),
                    output_field=DateField(),
                ),
                output_field=DateField(),
            )
        )
    )


@dataclass(frozen=True)
class SupervisionIndicator:
    open_cases: int
    supervised_within_interval: int
    interval_days: int

    @property
    def percent(self) -> int:
        if not self.open_cases:
            return 0
        return round(100 * self.supervised_within_interval / self.open_cases)


def supervision_indicator(user, today: datetime.date, cases=None) -> SupervisionIndicator:
    """Of the open cases in the user's scope (`cases`: that scope, already resolved), how
    many were supervised within the authority's interval (one query)."""
    days = conf.supervision_interval_days()
    since = today - datetime.timedelta(days=days)
    figures = (
        (cases_visible_to(user) if cases is None else cases)
        .filter(status=CaseStatus.OPEN)
        .annotate(last=Max("supervisions__held_on"))
        .aggregate(
            total=Count("pk"),
            within=Count("pk", filter=Q(last__gte=since)),
        )
    )
    return SupervisionIndicator(figures["total"], figures["within"], days)


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """A consultant's own log; team managers of a council team see their districts' logs."""
    if not (user and user.is_authenticated and user.is_active):
        return Consultation.objects.none()
    if keeps_consultation_log(user):
        return Consultation.objects.filter(consultant=user)
    if reads_district_consultations(user):
        return Consultation.objects.filter(
            district_id__in=user.districts.through.objects.filter(user_id=user.pk).values(
                "district_id"
            )
        )
    return Consultation.objects.none()


def consultation_log_for(user, *, outcome: str = "") -> QuerySet[Consultation]:
    qs = consultations_visible_to(user).select_related(
        "consultant", "district", "asked_by_agency", "family"
    )
    if outcome in ConsultationOutcome.values:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-asked_on", "-pk")


def get_consultation_for(user, pk) -> Consultation:
    return get_in_scope(consultations_visible_to(user), pk)


def follow_ups_for(user) -> QuerySet[Consultation]:
    """The consultant's undecided consultations with a follow-up date."""
    return Consultation.objects.filter(
        consultant=user, outcome=ConsultationOutcome.PENDING, follow_up_on__isnull=False
    )
