"""The work tray: what each person has to do, first thing in the morning (issue 14).

One selector per role builds the items from the records the person may see (cases/access.py,
referrals/access.py), each kind in one query with a LIMIT, so the tray costs the same number
of queries whatever the size of the county. Due dates are the owning apps' own
(assessments/deadlines.py, reminders/deadlines.py, referrals' triage targets); working days
exclude weekends and English bank holidays (earlyhelp/working_days.py).

The issue-12 queues (allocation, sign-off, step-up) are not built yet in this branch: the
items link to the case or assessment page where the work is done.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone

from assessments import deadlines as casework
from assessments.models import (
    Assessment,
    AssessmentContributor,
    AssessmentStatus,
    FamilyPlan,
    MeetingStatus,
    OutcomeProgress,
    PlanAction,
    SignOffDecision,
    TafMeeting,
)
from cases.access import (
    VisibleCasesRead,
    cases_in_scope,
    cases_visible_to,
    closures_awaiting_authorisation_for,
)
from cases.models import CaseStatus, EarlyHelpCase, LeadProfessionalHandover
from earlyhelp.compiled import STAND_IN, CompiledRead, one_of
from earlyhelp.working_days import add_working_days, working_days_between
from oversight import selectors as oversight
from oversight.models import Consultation
from partners.models import AgencyKind, User
from referrals.access import referrals_visible_to
from referrals.models import Referral, ReferralStatus
from reminders.deadlines import OPEN_ACTION_STATUSES, overdue_deadlines
from reminders.models import DeadlineKind
from work import access
from work.kinds import TrayKind

LIMIT = 100  # rows per kind: a tray is a to-do list, not a report

OPEN = (CaseStatus.OPEN, CaseStatus.AWAITING_ALLOCATION)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def allocation_working_days() -> int:
    """WORK_ALLOCATION_WORKING_DAYS (5): a case waiting for allocation is due this long after
    it opened."""
    return _setting("WORK_ALLOCATION_WORKING_DAYS", 5)


def signoff_working_days() -> int:
    """WORK_SIGNOFF_WORKING_DAYS (5): a submitted assessment is signed off within this."""
    return _setting("WORK_SIGNOFF_WORKING_DAYS", 5)


def case_length_days() -> int:
    """WORK_CASE_LENGTH_DAYS (365): an episode open longer than this is drifting."""
    return _setting("WORK_CASE_LENGTH_DAYS", 365)


def consent_renewal_days() -> int:
    """WORK_CONSENT_RENEWAL_DAYS (365): consent is renewed at least this often."""
    return _setting("WORK_CONSENT_RENEWAL_DAYS", 365)


REVIEWS_WITHOUT_PROGRESS = 3
LOOK_AHEAD_WORKING_DAYS = 20


@lru_cache(maxsize=8192)
def _working_days(today: datetime.date, due: datetime.date) -> int:
    """Many items share a due date: count each (today, due) pair once."""
    return working_days_between(today, due)


@lru_cache(maxsize=8192)
def _countdown(due: datetime.date, today: datetime.date) -> str:
    return casework.countdown_text(due, today)


@dataclass
class TrayItem:
    kind: str
    due_date: datetime.date
    today: datetime.date
    url: str
    case_id: int | None = None
    reference: str = ""
    family: str = ""
    detail: str = ""
    significant_harm: bool = False

    @property
    def label(self) -> str:
        return TrayKind(self.kind).label

    @property
    def working_days(self) -> int:
        """Working days left: 0 on the day, negative when overdue."""
        return _working_days(self.today, self.due_date)

    @property
    def overdue(self) -> bool:
        return self.due_date < self.today

    @property
    def countdown(self) -> str:
        return _countdown(self.due_date, self.today)

    def sort_key(self):
        return (not self.overdue, self.due_date, self.kind, self.reference)


@dataclass
class Tray:
    figures_of: str  # "triage", "districts" or "" (work/access.py)
    items: list[TrayItem]
    today: datetime.date
    figures: list[tuple[str, int]] = field(default_factory=list)
    reads: "Reads | None" = None  # what the tray read, for the page's other parts

    @property
    def overdue_count(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    def counts(self) -> list[tuple[str, str, int, int]]:
        """(kind, label, items, overdue) for each kind present."""
        rows = []
        for kind, items in itertools.groupby(
            sorted(self.items, key=lambda i: i.kind), lambda i: i.kind
        ):
            items = list(items)
            rows.append((kind, TrayKind(kind).label, len(items), sum(i.overdue for i in items)))
        return sorted(rows, key=lambda r: (-r[3], r[1]))


def _harm(case_field: str = "pk"):
    return Exists(Referral.objects.filter(case_id=OuterRef(case_field), significant_harm=True))


def _districts_of(user):
    return user.districts.through.objects.filter(user_id=user.pk).values("district_id")


# An id no real record has: each URL name is reversed once per tray with it, then filled in
# with each row's ids (hundreds of rows on a manager's tray; reverse() was a tenth of its
# Python).
_ANY_ID = 918273645546372819


class Links:
    """reverse(name, args=ids) for the rows of one tray, each name reversed once."""

    def __init__(self):
        self._formats: dict[tuple[str, int], str | None] = {}

    def __call__(self, name: str, *ids: int) -> str:
        key = (name, len(ids))
        try:
            fmt = self._formats[key]
        except KeyError:
            fmt = self._formats[key] = self._format(name, len(ids))
        if fmt is None:
            return reverse(name, args=ids)
        return fmt.format(*(int(i) for i in ids))

    @staticmethod
    def _format(name: str, count: int) -> str | None:
        probes = [str(_ANY_ID + n) for n in range(count)]
        url = reverse(name, args=probes).replace("{", "{{").replace("}", "}}")
        for n, probe in enumerate(probes):
            if url.count(probe) != 1:
                return None  # not a plain id in the path: reverse() each time
            url = url.replace(probe, f"{{{n}}}")
        return url


class Reads:
    """What several kinds of one tray read, built once per tray: the user's case scope (its
    querysets took a few milliseconds to build, and a manager's tray built it seven times),
    their open cases' ids, and the links."""

    def __init__(self, user):
        self.user = user
        self.link = Links()

    @cached_property
    def visible(self) -> QuerySet[EarlyHelpCase]:
        return cases_visible_to(self.user)

    @cached_property
    def open_ids(self) -> list[int]:
        return _open_ids_visible_to(self.user, self.visible)

    @property
    def open_cases(self) -> QuerySet[EarlyHelpCase]:
        return EarlyHelpCase.objects.filter(pk__in=self.open_ids)

    def case_url(self, case_id: int) -> str:
        return self.link("case_detail", case_id)


def _case_item(
    reads, kind, due, today, case_id, family="", *, url=None, detail="", harm=False
) -> TrayItem:
    """An item about one case, shown by its reference and family; it links to the case
    unless `url` says where the work is done."""
    return TrayItem(
        kind=kind,
        due_date=due,
        today=today,
        url=url or reads.case_url(case_id),
        case_id=case_id,
        reference=EarlyHelpCase.reference_for(case_id),
        family=family,
        detail=detail,
        significant_harm=harm,
    )


def _with_families(items: list[TrayItem]) -> list[TrayItem]:
    """`items` with their cases' family names filled in, in one query."""
    families = dict(
        EarlyHelpCase.objects.filter(pk__in={i.case_id for i in items}).values_list(
            "pk", "family__name"
        )
    )
    for item in items:
        item.family = families.get(item.case_id, "")
    return items


# --- practitioner / lead professional ---------------------------------------------------

# The lead's reads are compiled once per process (earlyhelp/compiled.py): building and
# compiling their querysets (the user's case scope in three of them) took several times
# what PostgreSQL took to answer them. Stand-ins: the led cases' ids, the user and a day.
_IDS = [STAND_IN - 10]
_USER = STAND_IN - 11
_DAY = datetime.date(1, 1, 1)


# The cases I lead, with their family names and whether a request behind them raised
# possible significant harm.
_LED_CASES = VisibleCasesRead(
    lambda cases, user_id: (
        cases.filter(status=CaseStatus.OPEN)
        .filter(lead_professional_id=user_id)
        .annotate(harm=_harm())
        .values_list("pk", "family__name", "harm")[: LIMIT * 5]
    )
)

_UNASSESSED = CompiledRead(
    lambda ids: (
        EarlyHelpCase.objects.filter(one_of("pk", ids))
        .filter(assessment__isnull=True)
        .values_list("pk", "opened_on")
        .order_by("opened_on")[:LIMIT]
    ),
    ids=_IDS,
)

_DRAFTS = CompiledRead(
    lambda ids: (
        Assessment.objects.filter(one_of("case_id", ids), status=AssessmentStatus.DRAFT)
        .annotate(
            was_returned=Exists(
                SignOffDecision.objects.filter(
                    assessment_id=OuterRef("pk"),
                    version_number=OuterRef("version_number"),
                    outcome=SignOffDecision.Outcome.RETURNED,
                )
            )
        )
        .values_list("case_id", "due_on", "was_returned")
        .order_by("due_on")[:LIMIT]
    ),
    ids=_IDS,
)

_PLANS_TO_AGREE = CompiledRead(
    lambda ids: (
        FamilyPlan.objects.filter(one_of("case_id", ids), agreed_on__isnull=True)
        .values_list("case_id", "first_taf_due_on")
        .order_by("first_taf_due_on")[:LIMIT]
    ),
    ids=_IDS,
)

_MEETINGS = CompiledRead(
    lambda ids, horizon: (
        TafMeeting.objects.filter(
            one_of("case_id", ids), status=MeetingStatus.SCHEDULED, scheduled_for__lte=horizon
        )
        .values_list("pk", "case_id", "scheduled_for", "starts_at")
        .order_by("scheduled_for")[:LIMIT]
    ),
    ids=_IDS,
    horizon=_DAY,
)

_REVIEWS = CompiledRead(
    lambda ids, today: (
        casework.overdue_reviews(TafMeeting.objects.filter(one_of("case_id", ids)), today)
        .filter(
            ~Exists(
                TafMeeting.objects.filter(
                    case_id=OuterRef("case_id"), status=MeetingStatus.SCHEDULED
                )
            )
        )
        .values_list("case_id", "next_review_on")
        .order_by("next_review_on")[:LIMIT]
    ),
    ids=_IDS,
    today=_DAY,
)

# Consent to renew by `given_by` (the horizon less the renewal period), or none recorded.
_CONSENTS = CompiledRead(
    lambda ids, given_by: (
        EarlyHelpCase.objects.filter(one_of("pk", ids))
        .annotate(
            given=Max(
                "consents__given_on",
                filter=Q(consents__withdrawn_on__isnull=True, consents__to_assessment=True),
            ),
        )
        .filter(Q(given__isnull=True) | Q(given__lte=given_by))
        .values_list("pk", "opened_on", "given")
        .order_by("opened_on")[:LIMIT]
    ),
    ids=_IDS,
    given_by=_DAY,
)

_HANDOVERS = CompiledRead(
    lambda ids, user_id, since: (
        LeadProfessionalHandover.objects.filter(
            one_of("case_id", ids), to_user_id=user_id, handed_over_on__gte=since
        )
        .values_list("case_id", "handed_over_on", "from_user__full_name")
        .order_by("-handed_over_on")[:LIMIT]
    ),
    ids=_IDS,
    user_id=_USER,
    since=_DAY,
)


def lead_items(user, today: datetime.date, reads: Reads) -> list[TrayItem]:
    # The cases I lead, once: each kind below is then a plain indexed list of case ids,
    # without re-running the scope's UNION, joining the family or asking the requests
    # again (a practitioner leads tens of cases, not thousands).
    led_cases = {pk: (family, harm) for pk, family, harm in _LED_CASES.rows(user)}
    if not led_cases:  # a manager leading nothing: only actions owned, contributions asked
        return [*_action_items(user, today, reads), *_contribution_items(user, today, reads)]
    led_ids = list(led_cases)
    horizon = add_working_days(today, LOOK_AHEAD_WORKING_DAYS)
    items: list[TrayItem] = []
    link = reads.link

    def add(kind, due, case_id, url, detail=""):
        family, harm = led_cases[case_id]
        items.append(
            _case_item(reads, kind, due, today, case_id, family, url=url, detail=detail, harm=harm)
        )

    for pk, opened in _UNASSESSED.rows(ids=led_ids):
        add(TrayKind.ASSESSMENT_START, casework.assessment_due_on(opened), pk, reads.case_url(pk))

    for case_id, due, was_returned in _DRAFTS.rows(ids=led_ids):
        kind = TrayKind.ASSESSMENT_CORRECT if was_returned else TrayKind.ASSESSMENT_SUBMIT
        add(kind, due, case_id, link("edit_assessment", case_id))

    for case_id, due in _PLANS_TO_AGREE.rows(ids=led_ids):
        add(TrayKind.FIRST_TAF, due, case_id, link("family_plan", case_id))

    for pk, case_id, due, starts in _MEETINGS.rows(ids=led_ids, horizon=horizon):
        url = link("taf_meeting_detail", case_id, pk)
        add(TrayKind.MEETING, due, case_id, url, f"{starts:%H:%M}" if starts else "")

    for case_id, due in _REVIEWS.rows(ids=led_ids, today=today):
        add(TrayKind.REVIEW, due, case_id, link("schedule_taf_meeting", case_id))

    items.extend(_action_items(user, today, reads))

    renew = datetime.timedelta(days=consent_renewal_days())
    for pk, opened, given in _CONSENTS.rows(ids=led_ids, given_by=horizon - renew):
        due = given + renew if given else add_working_days(opened, 5)
        detail = "Consent to renew" if given else "No consent recorded"
        add(TrayKind.CONSENT, due, pk, link("record_consent", pk), detail)

    since = today - datetime.timedelta(days=28)
    for case_id, handed, from_name in _HANDOVERS.rows(ids=led_ids, user_id=user.pk, since=since):
        add(
            TrayKind.HANDOVER,
            add_working_days(handed, 5),
            case_id,
            reads.case_url(case_id),
            f"From {from_name}",
        )

    items.extend(_contribution_items(user, today, reads))
    return items


# Plan actions the user owns as a TAF member, on open cases they may read.
_ACTIONS = VisibleCasesRead(
    lambda cases, user_id: (
        PlanAction.objects.filter(
            owner_member__user_id=user_id,
            owner_member__left_on__isnull=True,
            status__in=OPEN_ACTION_STATUSES,
            outcome__removed_on__isnull=True,
            outcome__plan__case__in=cases.filter(status=CaseStatus.OPEN),
        )
        .annotate(case_id=F("outcome__plan__case_id"), harm=_harm("outcome__plan__case_id"))
        .values_list("case_id", "due_on", "outcome__plan__case__family__name", "harm", "what")
        .order_by("due_on")[:LIMIT]
    )
)


def _action_items(user, today, reads: Reads) -> list[TrayItem]:
    return [
        _case_item(
            reads,
            TrayKind.ACTION,
            due,
            today,
            case_id,
            family,
            url=reads.link("family_plan", case_id),
            detail=what[:120],
            harm=harm,
        )
        for case_id, due, family, harm, what in _ACTIONS.rows(user)
    ]


# Draft assessments the user was asked to contribute to, on open cases they may read.
_CONTRIBUTIONS = VisibleCasesRead(
    lambda cases, user_id: (
        AssessmentContributor.objects.filter(
            user_id=user_id,
            ended_at__isnull=True,
            assessment__status=AssessmentStatus.DRAFT,
            assessment__case__in=cases.filter(status=CaseStatus.OPEN),
        )
        .values_list(
            "assessment__case_id",
            "assessment__due_on",
            "assessment__case__family__name",
            "invited_by__full_name",
        )
        .order_by("assessment__due_on")[:LIMIT]
    )
)


def _contribution_items(user, today, reads: Reads) -> list[TrayItem]:
    return [
        _case_item(
            reads,
            TrayKind.CONTRIBUTION,
            due,
            today,
            case_id,
            family,
            url=reads.link("edit_assessment", case_id),
            detail=f"Invited by {invited_by}",
        )
        for case_id, due, family, invited_by in _CONTRIBUTIONS.rows(user)
    ]


# --- team manager -----------------------------------------------------------------------

OVERDUE_KINDS = (
    DeadlineKind.ASSESSMENT,
    DeadlineKind.FIRST_TAF,
    DeadlineKind.REVIEW,
    DeadlineKind.ACTION,
)


def _deadline_items(reads, today, scope, kinds, tray_kind) -> list[TrayItem]:
    """Overdue deadlines of `kinds` on the cases in `scope` (no family names yet)."""
    deadlines = itertools.islice(
        overdue_deadlines(today, kinds=list(kinds), case_ids=scope.values("pk")), LIMIT * len(kinds)
    )
    labels = {kind: DeadlineKind(kind).label for kind in kinds}
    return [
        _case_item(reads, tray_kind, d.due_on, today, d.case_id, detail=labels[d.kind])
        for d in deadlines
    ]


def _open_ids_visible_to(user, visible: QuerySet[EarlyHelpCase]) -> list[int]:
    """The ids of the open and awaiting cases the user may see (`visible`): each query over
    them is then an indexed `id IN (...)` that PostgreSQL can count. Over the scope's
    subqueries it guesses thousands of cases for a district's 300 and hashes every family
    (and every outcome's progress) in the county to find them."""
    reach = list(
        cases_in_scope(user).filter(status__in=OPEN).order_by().values_list("pk", flat=True)
    )
    return list(visible.filter(pk__in=reach).order_by().values_list("pk", flat=True))


def manager_items(user, today: datetime.date, reads: Reads) -> list[TrayItem]:
    scope = reads.visible
    open_cases = reads.open_cases  # every kind but sign-off: open cases only
    items: list[TrayItem] = []
    link = reads.link

    def case_item(kind, due, pk, family, **more):
        items.append(_case_item(reads, kind, due, today, pk, family, **more))

    for pk, opened, family, harm in (
        open_cases.filter(status=CaseStatus.AWAITING_ALLOCATION)
        .annotate(harm=_harm())
        .values_list("pk", "opened_on", "family__name", "harm")
        .order_by("opened_on")[:LIMIT]
    ):
        case_item(
            TrayKind.ALLOCATION,
            add_working_days(opened, allocation_working_days()),
            pk,
            family,
            harm=harm,
        )

    for case_id, submitted, family, lead in (
        Assessment.objects.filter(case__in=scope, status=AssessmentStatus.SUBMITTED)
        .values_list(
            "case_id", "submitted_at", "case__family__name", "case__lead_professional__full_name"
        )
        .order_by("submitted_at")[:LIMIT]
    ):
        day = timezone.localdate(submitted) if submitted else today
        case_item(
            TrayKind.SIGNOFF,
            add_working_days(day, signoff_working_days()),
            case_id,
            family,
            url=link("sign_off_assessment", case_id),
            detail=f"Lead: {lead}" if lead else "",
        )

    for case_id, requested, family, lead in (
        closures_awaiting_authorisation_for(user)
        .values_list("case_id", "requested_at", "case__family__name", "requested_by__full_name")
        .order_by("requested_at")[:LIMIT]
    ):
        case_item(
            TrayKind.CLOSURE,
            add_working_days(timezone.localdate(requested), signoff_working_days()),
            case_id,
            family,
            url=link("authorise_closure", case_id),
            detail=f"Lead: {lead}",
        )

    # Every deadline kind counts open cases only (reminders/deadlines.py).
    overdue = _deadline_items(reads, today, open_cases, OVERDUE_KINDS, TrayKind.OVERDUE_WORK)
    overdue += _deadline_items(reads, today, open_cases, (DeadlineKind.DRIFT,), TrayKind.DRIFT)
    items.extend(_with_families(overdue))

    longest = today - datetime.timedelta(days=case_length_days())
    for pk, opened, family in (
        open_cases.filter(status=CaseStatus.OPEN, opened_on__lte=longest)
        .values_list("pk", "opened_on", "family__name")
        .order_by("opened_on")[:LIMIT]
    ):
        case_item(
            TrayKind.LONG_OPEN, opened + datetime.timedelta(days=case_length_days()), pk, family
        )

    progressed = OutcomeProgress.objects.filter(
        meeting__case_id=OuterRef("pk"), scaling__gt=F("outcome__baseline_scaling")
    )
    for pk, last_held, family in (
        open_cases.filter(status=CaseStatus.OPEN)
        .annotate(
            reviews=Count(
                "taf_meetings",
                filter=Q(taf_meetings__status=MeetingStatus.HELD, taf_meetings__kind="review"),
            ),
            last_held=Max("taf_meetings__held_on"),
        )
        .filter(reviews__gte=REVIEWS_WITHOUT_PROGRESS)
        .filter(~Exists(progressed))
        .values_list("pk", "last_held", "family__name")
        .order_by("last_held")[:LIMIT]
    ):
        case_item(
            TrayKind.NO_PROGRESS,
            last_held,
            pk,
            family,
            detail=f"{REVIEWS_WITHOUT_PROGRESS}+ reviews, no outcome improved",
        )

    for pk, family, lead, last_seen, joined in (
        open_cases.filter(lead_professional__is_active=False)
        .values_list(
            "pk",
            "family__name",
            "lead_professional__full_name",
            "lead_professional__last_login",
            "lead_professional__date_joined",
        )
        .order_by("opened_on")[:LIMIT]
    ):
        case_item(
            TrayKind.LEAVER_CASE,
            reallocate_by(last_seen, joined),
            pk,
            family,
            detail=f"{lead} has left: reallocate",
        )

    horizon = add_working_days(today, 5)
    for pk, due, family in (
        oversight.supervision_due_cases(open_cases, today)
        .filter(due_on__lte=horizon)
        .values_list("pk", "due_on", "family__name")
        .order_by("due_on")[:LIMIT]
    ):
        case_item(TrayKind.SUPERVISION, due, pk, family, url=link("record_supervision", pk))
    return items


# --- front door --------------------------------------------------------------------------


def _waiting_for_triage(user) -> QuerySet:
    """Requests waiting for a decision in the front door officer's districts."""
    return referrals_visible_to(user).filter(
        status__in=(ReferralStatus.SUBMITTED, ReferralStatus.IN_TRIAGE),
        district_id__in=_districts_of(user),
    )


def front_door_items(user, today: datetime.date, reads: Reads) -> list[TrayItem]:
    rows = (
        _waiting_for_triage(user)
        .filter(due_on__isnull=False)
        .values_list("pk", "due_on", "significant_harm", "picked_up_by__full_name")
        .order_by("-significant_harm", "due_on")[: LIMIT * 2]
    )
    return [
        TrayItem(
            kind=TrayKind.TRIAGE,
            due_date=due,
            today=today,
            url=reads.link("referral_detail", pk),
            reference=Referral.reference_for(pk),
            detail=f"Picked up by {picked}" if picked else "Not picked up",
            significant_harm=harm,
        )
        for pk, due, harm, picked in rows
    ]


def front_door_figures(user, today: datetime.date) -> list[tuple[str, int]]:
    figures = _waiting_for_triage(user).aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
        harm=Count("pk", filter=Q(significant_harm=True)),
    )
    return [
        ("Requests waiting for a decision", figures["waiting"]),
        ("Past their decision target", figures["overdue"]),
        ("Due a decision today", figures["today"]),
        ("Possible significant harm", figures["harm"]),
    ]


# --- consultant ---------------------------------------------------------------------------


def consultant_items(user, today: datetime.date, reads: Reads) -> list[TrayItem]:
    districts = _districts_of(user)
    partner_led = reads.visible.filter(district_id__in=districts).exclude(
        lead_agency__kind=AgencyKind.EARLY_HELP_TEAM
    )
    items = _with_families(
        _deadline_items(
            reads, today, partner_led, (DeadlineKind.DRIFT, *OVERDUE_KINDS), TrayKind.PARTNER_DRIFT
        )
    )
    for pk, due, asked_by in (
        oversight.follow_ups_for(user)
        .values_list("pk", "follow_up_on", "asked_by_name")
        .order_by("follow_up_on")[:LIMIT]
    ):
        items.append(
            TrayItem(
                kind=TrayKind.CONSULTATION,
                due_date=due,
                today=today,
                url=reads.link("consultation_detail", pk),
                reference=Consultation.reference_for(pk),
                detail=f"Asked by {asked_by}",
            )
        )
    items.extend(_contribution_items(user, today, reads))
    return items


# --- strategic viewer and administrator ---------------------------------------------------


def strategic_figures(user, today: datetime.date) -> list[tuple[str, int]]:
    """Numbers only, never names: the county's (or their districts') overdue work."""
    districts = _districts_of(user)
    cases = EarlyHelpCase.objects.filter(district_id__in=districts)
    open_count = cases.filter(status__in=OPEN).count()
    counts = {k: 0 for k in (*OVERDUE_KINDS, DeadlineKind.DRIFT)}
    for deadline in overdue_deadlines(today, kinds=list(counts), case_ids=cases.values("pk")):
        counts[deadline.kind] += 1
    return [("Open cases", open_count)] + [
        (f"Overdue: {DeadlineKind(k).label}", n) for k, n in counts.items()
    ]


def reallocate_by(last_login, date_joined) -> datetime.date:
    """A leaver's work is due a new owner the working day after they were last at work (their
    last sign-in; the day they joined if they never signed in)."""
    seen = last_login or date_joined
    return add_working_days(timezone.localdate(seen), 1)


def administrator_items(user, today: datetime.date, reads: Reads) -> list[TrayItem]:
    """People who have left but still lead cases or sit on TAFs: their work needs a new
    owner. Counts only; the administrator sees no case."""
    leavers = (
        User.objects.filter(is_active=False)
        .annotate(
            leading=Count("led_cases", filter=Q(led_cases__status__in=OPEN), distinct=True),
            on_taf=Count(
                "taf_memberships",
                filter=Q(taf_memberships__left_on__isnull=True),
                distinct=True,
            ),
        )
        .filter(Q(leading__gt=0) | Q(on_taf__gt=0))
        .values_list("pk", "full_name", "leading", "on_taf", "last_login", "date_joined")
        .order_by("full_name")[:LIMIT]
    )
    may_edit_users = user.has_perm("partners.change_user")
    return [
        TrayItem(
            kind=TrayKind.LEAVER,
            due_date=reallocate_by(last_login, joined),
            today=today,
            url=reverse("admin:partners_user_change", args=[pk])
            if may_edit_users
            else reverse("user_activity", args=[pk]),
            reference=f"User {pk}",
            detail=f"{name}: leads {leading} open case{'s' if leading != 1 else ''}, "
            f"on {on_taf} TAF{'s' if on_taf != 1 else ''}",
        )
        for pk, name, leading, on_taf, last_login, joined in leavers
    ]


# --- the tray ---------------------------------------------------------------------------


def work_tray_for(user, *, today: datetime.date) -> Tray:
    """Everything the signed-in person has to do, overdue first."""
    parts = access.tray_parts_for(user)
    reads = Reads(user)
    items: list[TrayItem] = [
        item for part in parts.items for item in ITEM_SOURCES[part](user, today, reads)
    ]
    figures = FIGURE_SOURCES[parts.figures](user, today) if parts.figures else []
    # One entry per (kind, record): a manager who also leads a case sees it once.
    unique = {(i.kind, i.reference, i.due_date, i.detail): i for i in items}
    return Tray(
        figures_of=parts.figures,
        items=sorted(unique.values(), key=TrayItem.sort_key),
        today=today,
        figures=figures,
        reads=reads,
    )


ITEM_SOURCES = {
    "lead": lead_items,
    "manager": manager_items,
    "front_door": front_door_items,
    "consultant": consultant_items,
    "administrator": administrator_items,
}
FIGURE_SOURCES = {"triage": front_door_figures, "districts": strategic_figures}
