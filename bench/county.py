"""A county-scale synthetic data set, deterministic from a seed, loaded with COPY.

Defaults are a large county's ten years (the Lancashire strategy's scale): 12 districts,
160 agencies, 3,000 practitioners, 100,000 families, ~250,000 people, 70,000 requests for
support, 60,000 early help cases with assessments, plans, ~300,000 actions, ~200,000
reviews, and audit rows in the millions. Most cases are closed, a few thousand open,
caseloads are skewed, and some families come back (re-referrals).

    make county ARGS="--scale 1.0"      (into DATABASE_URL, which must be empty and migrated)
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.copier import Copier
from cases.codes import Ethnicity, Gender, Relationship, SenStatus
from cases.models import (
    ChronologyEntry,
    ConsentRecord,
    EarlyHelpCase,
    EarlyHelpCaseUserObjectPermission,
    Family,
    FamilyMembership,
    Person,
    TeamAroundFamilyMember,
)
from demo import synthetic as demo
from earlyhelp.models import AuditEvent
from partners.models import Agency, AgencyKind, District, FamilyHub, Role, User

TODAY = datetime.date(2026, 11, 2)
START = TODAY - datetime.timedelta(days=3652)
LONDON = timezone.get_fixed_timezone(0)

# Surnames as they fall in a real county: a few common ones (demo.LAST_NAMES, the commonest
# held by about 1.2% of people, as Smith is in England, the rest falling off as 1/rank) and a
# long tail of rarer ones (about 0.08% each). With only the 36 demo names every surname was
# held by 1 in 36 people, so every name search was a worst case no authority would see.
# Parts of the tail's names (split on spaces).
_TAIL_STARTS = (
    "Ack Ald Ash Bar Bol Brad Brom Cal Crom Dun Eccle Fern Gis Hal Hep Hol Kings "
    "Lang Lin Mar Mid Nor Ox Pen Ram Ross Roth Sal Shaw Stan Thorn Tod Wad Whit Wig "
    "Wood Ayl Bux Clay Dews"
)
_TAIL_ENDS = (
    "ley worth ton field by ham croft den dale well wood stall hurst ridge more wick "
    "brook cliffe thorpe gate ford bury side hall combe"
)


def surname_pool() -> tuple[list[str], list[float]]:
    """The county's surnames and their cumulative weights (for random.choices)."""
    common = [(name, 1.2 / rank) for rank, name in enumerate(demo.LAST_NAMES, 1)]
    tail = [start + end for start in _TAIL_STARTS.split() for end in _TAIL_ENDS.split()]
    tail = [name for name in tail if name not in demo.LAST_NAMES]
    share = (100 - sum(w for _, w in common)) / len(tail)
    names, cumulative, total = [], [], 0.0
    for name, weight in common + [(name, share) for name in tail]:
        total += weight
        names.append(name)
        cumulative.append(total)
    return names, cumulative


@dataclass
class Size:
    districts: int = 12
    agencies: int = 160
    practitioners: int = 3000
    families: int = 100_000
    referrals: int = 70_000
    cases: int = 60_000
    open_cases: int = 3_500
    audit_rows: int = 3_000_000

    def scaled(self, factor: float) -> "Size":
        return Size(
            districts=self.districts,
            agencies=max(20, int(self.agencies * min(1, factor * 4))),
            practitioners=max(40, int(self.practitioners * factor)),
            families=max(200, int(self.families * factor)),
            referrals=max(150, int(self.referrals * factor)),
            cases=max(120, int(self.cases * factor)),
            open_cases=max(40, int(self.open_cases * factor)),
            audit_rows=max(1000, int(self.audit_rows * factor)),
        )


def _dt(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=datetime.UTC)


class CountyGenerator:
    def __init__(self, size: Size, seed: int = 2026, log=print):
        self.size = size
        self.rng = random.Random(seed)
        self.log = log
        self.timings: dict[str, float] = {}

    def _timed(self, label, fn):
        started = time.monotonic()
        result = fn()
        self.timings[label] = time.monotonic() - started
        self.log(f"  {label:<28} {self.timings[label]:7.1f}s")
        return result

    def run(self) -> dict:
        if Family.objects.exists():
            raise SystemExit("The database already has families: generate into an empty one.")
        started = time.monotonic()
        with transaction.atomic():
            self._timed("partners and users", self.partners)
            self._timed("families and people", self.families)
            self._timed("cases, TAF, consent", self.cases)
            self._timed("casework", self.casework)
            self._timed("requests for support", self.referrals)
            self._timed("audit trail", self.audit)
            self._timed("family hubs", __import__("bench.hubs").hubs.generate_hub_year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.timings["total"] = time.monotonic() - started
        return self.timings

    # --- partners ---------------------------------------------------------------------
    def partners(self):
        rng, size = self.rng, self.size
        self.districts = [
            District.objects.create(code=f"d{i + 1}", name=f"{name}")
            for i, name in enumerate((demo.DISTRICTS * 2)[: size.districts])
        ]
        for i in range(29):
            d = self.districts[i % len(self.districts)]
            FamilyHub.objects.create(district=d, name=f"{d.name} Family Hub {i + 1}")
        kinds = [AgencyKind.SCHOOL] * 6 + [
            AgencyKind.HEALTH,
            AgencyKind.EARLY_YEARS,
            AgencyKind.VOLUNTARY,
            AgencyKind.HOUSING,
        ]
        agencies = Copier(Agency)
        agency_districts = Copier(Agency.districts.through)
        self.eh_teams, self.agencies = [], []
        for d in self.districts:
            aid = agencies.add(
                name=f"{d.name} Early Help Team",
                kind=AgencyKind.EARLY_HELP_TEAM,
                email="",
                phone="",
                active=True,
            )
            agency_districts.add(agency_id=aid, district_id=d.pk)
            self.eh_teams.append((aid, d.pk))
        for n in range(size.agencies - len(self.districts)):
            d = self.districts[n % len(self.districts)]
            kind = kinds[n % len(kinds)]
            aid = agencies.add(
                name=f"{d.name} {kind.label} {n + 1}", kind=kind, email="", phone="", active=True
            )
            agency_districts.add(agency_id=aid, district_id=d.pk)
            self.agencies.append((aid, d.pk))
        agencies.finish()
        agency_districts.finish()

        password = make_password(demo.DEMO_PASSWORD)
        users = Copier(User)
        user_districts = Copier(User.districts.through)
        now = timezone.now()
        self.workers_by_district: dict[int, list[tuple[int, int]]] = {
            d.pk: [] for d in self.districts
        }

        def add_user(email, role, agency_id, district_ids, **extra):
            uid = users.add(
                email=email,
                full_name=f"{rng.choice(demo.FIRST_NAMES_F)} {rng.choice(demo.LAST_NAMES)}",
                password=password,
                role=role,
                agency_id=agency_id,
                date_joined=now,
                last_login=None,
                is_superuser=False,
                **extra,
            )
            for did in district_ids:
                user_districts.add(user_id=uid, district_id=did)
            return uid

        partner_by_district: dict[int, list[int]] = {}
        for aid, did in self.agencies:
            partner_by_district.setdefault(did, []).append(aid)
        for n in range(size.practitioners):
            # Two thirds in council early help teams, the rest in partner agencies.
            team_id, did = self.eh_teams[n % len(self.eh_teams)]
            partners = partner_by_district.get(did)
            use_partner = partners and (n // 12) % 3 == 0
            aid = partners[(n // 12) % len(partners)] if use_partner else team_id
            uid = add_user(f"worker{n + 1}@county.test", Role.PRACTITIONER, aid, [did])
            self.workers_by_district[did].append((uid, aid))
        team_of = {did: aid for aid, did in self.eh_teams}
        # Enough family workers that each carries about 40 of the open cases they lead (55%),
        # at any scale: 4 a district in the county, 12 at three times its size.
        per_district = max(1, round(size.open_cases * 0.55 / (size.districts * 40)))
        self.family_workers = {
            did: [w for w in workers if w[1] == team_of.get(did)][:per_district]
            for did, workers in self.workers_by_district.items()
        }
        self.managers = {}
        for aid, did in self.eh_teams:
            self.managers[did] = add_user(
                f"manager-{did}@county.test", Role.TEAM_MANAGER, aid, [did]
            )
            add_user(f"consultant-{did}@county.test", Role.CONSULTANT, aid, [did])
        front_door = self.eh_teams[0][0]
        all_ids = [d.pk for d in self.districts]
        for n in range(20):
            add_user(
                f"frontdoor{n + 1}@county.test",
                Role.FRONT_DOOR,
                front_door,
                all_ids[n % 12 : n % 12 + 3] or all_ids[:3],
            )
        self.authority_manager = add_user(
            "director@county.test", Role.TEAM_MANAGER, front_door, all_ids
        )
        add_user("strategic@county.test", Role.STRATEGIC, front_door, all_ids)
        add_user("admin@county.test", Role.ADMINISTRATOR, None, [], is_staff=True)
        users.finish()
        user_districts.finish()
        self.user_count = users.count

    # --- families and people ------------------------------------------------------------
    def families(self):
        rng, size = self.rng, self.size
        families = Copier(Family)
        people = Copier(Person)
        members = Copier(FamilyMembership)
        now = timezone.now()
        self.family_children: dict[int, list[int]] = {}
        self.family_parent: dict[int, int] = {}
        self.family_district: dict[int, int] = {}
        ethnicities = list(Ethnicity)[:18] + [Ethnicity.WBRI] * 20
        used_nhs = set()
        surnames, weights = surname_pool()
        for n in range(size.families):
            d_index = n % len(self.districts)
            district_id = self.districts[d_index].pk
            last = rng.choices(surnames, cum_weights=weights)[0]
            fid = families.add(
                name=f"{last} household",
                address_line_1=f"{rng.randint(1, 300)} {rng.choice(demo.STREETS)}",
                address_line_2="",
                town=self.districts[d_index].name,
                postcode=demo.postcode(rng, d_index),
                district_id=district_id,
                deprivation_decile=rng.randint(1, 10),
                restricted=(n % 500 == 7),
                restricted_contact="the district manager" if n % 500 == 7 else "",
                created_at=now,
                updated_at=now,
            )
            self.family_district[fid] = district_id
            adults = 1 + (rng.random() < 0.3)
            kids = rng.choice([1, 1, 1, 2, 2])
            children = []
            for k in range(adults + kids):
                is_child = k >= adults
                age = rng.randint(0, 18) if is_child else rng.randint(20, 55)
                born = TODAY - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
                nhs = demo.nhs_number(rng) if rng.random() < 0.7 else None
                if nhs in used_nhs:
                    nhs = None
                if nhs:
                    used_nhs.add(nhs)
                gender = rng.choice([Gender.MALE, Gender.FEMALE])
                pid = people.add(
                    first_name=rng.choice(
                        demo.FIRST_NAMES_M if gender == Gender.MALE else demo.FIRST_NAMES_F
                    ),
                    last_name=last,
                    other_names="",
                    date_of_birth=born,
                    expected_date=None,
                    gender=gender,
                    ethnicity=rng.choice(ethnicities),
                    disabilities=[],
                    sen_status=(
                        SenStatus.SEN_SUPPORT
                        if is_child and rng.random() < 0.12
                        else SenStatus.NONE
                    ),
                    nhs_number=nhs,
                    upn=None,
                    restricted=False,
                    restricted_contact="",
                    created_at=now,
                    updated_at=now,
                )
                members.add(
                    family_id=fid,
                    person_id=pid,
                    relationship=Relationship.CHILD if is_child else Relationship.PARENT,
                    since=None,
                )
                if is_child:
                    children.append(pid)
                elif k == 0:
                    self.family_parent[fid] = pid
            self.family_children[fid] = children
        families.finish()
        people.finish()
        members.finish()
        self.person_count = people.count

    # --- cases --------------------------------------------------------------------------
    def cases(self):
        rng, size = self.rng, self.size
        cases = Copier(EarlyHelpCase)
        children = Copier(EarlyHelpCase.children.through)
        taf = Copier(TeamAroundFamilyMember)
        grants = Copier(EarlyHelpCaseUserObjectPermission)
        consents = Copier(ConsentRecord)
        shared = Copier(ConsentRecord.shared_with.through)
        from django.contrib.auth.models import Permission

        permission_id = Permission.objects.get(codename="work_on_case").pk
        family_ids = list(self.family_children)
        # Re-referrals: a tenth of cases go to a family that has had one before.
        self.case_rows = []
        open_from = size.cases - size.open_cases
        span = (TODAY - START).days
        for n in range(size.cases):
            is_open = n >= open_from
            if n and rng.random() < 0.1:
                fid = self.case_rows[rng.randrange(len(self.case_rows))][1]
            else:
                fid = rng.choice(family_ids)
            district_id = self.family_district[fid]
            workers = self.workers_by_district[district_id]
            family_team = self.family_workers[district_id]
            if is_open and family_team and rng.random() < 0.55:
                # Half the open cases are led by the council's family workers, who carry
                # 30 to 50 cases each (issue 14 measures a practitioner with 40).
                lead_id, agency_id = family_team[rng.randrange(len(family_team))]
            else:
                # Skewed caseloads: the busiest workers carry several times the median.
                skewed = int(rng.expovariate(3 / len(workers)))
                lead_id, agency_id = workers[skewed % len(workers)]
            if is_open:
                opened = TODAY - datetime.timedelta(days=rng.randint(1, 270))
                closed = None
            else:
                opened = START + datetime.timedelta(days=int(span * n / open_from))
                closed = min(
                    opened + datetime.timedelta(days=rng.randint(40, 300)),
                    TODAY - datetime.timedelta(days=1),
                )
            cid = cases.add(
                family_id=fid,
                district_id=district_id,
                lead_agency_id=agency_id,
                lead_professional_id=lead_id,
                level_of_need=rng.choice([2, 2, 3]),
                status="open" if is_open else "closed",
                opened_on=opened,
                closed_on=closed,
                closure_reason=""
                if is_open
                else rng.choice(
                    ["needs_met"] * 6 + ["consent_withdrawn", "stepped_up", "moved_away"]
                ),
                last_activity_at=_dt(
                    closed or (TODAY - datetime.timedelta(days=rng.randint(0, 45)))
                ),
                created_at=_dt(opened),
            )
            self.case_rows.append((cid, fid, district_id, lead_id, agency_id, opened, closed))
            for pid in self.family_children[fid]:
                children.add(earlyhelpcase_id=cid, person_id=pid)
            consent_id = consents.add(
                case_id=cid,
                given_by_id=self.family_parent[fid],
                given_on=opened,
                to_assessment=True,
                method="in_person",
                recorded_by_id=lead_id,
                withdrawn_on=None,
                withdrawal_note="",
            )
            shared.add(consentrecord_id=consent_id, agency_id=agency_id)
            taf.add(
                case_id=cid,
                user_id=lead_id,
                agency_id=agency_id,
                contact_name="",
                contact_email="",
                contact_phone="",
                role_in_team="Lead professional",
                joined_on=opened,
                left_on=None,
            )
            # A colleague from another agency on the TAF, with consent and a grant.
            other_id, other_agency = rng.choice(workers)
            if other_id != lead_id and other_agency != agency_id:
                shared.add(consentrecord_id=consent_id, agency_id=other_agency)
                taf.add(
                    case_id=cid,
                    user_id=other_id,
                    agency_id=other_agency,
                    contact_name="",
                    contact_email="",
                    contact_phone="",
                    role_in_team="TAF member",
                    joined_on=opened,
                    left_on=closed,
                )
                if closed is None:
                    grants.add(content_object_id=cid, user_id=other_id, permission_id=permission_id)
        for copier in (cases, children, taf, grants, consents):
            copier.finish()
        self.shared_count = shared.finish()

    # --- casework -----------------------------------------------------------------------
    def casework(self):
        from assessments import deadlines
        from assessments.models import (
            Assessment,
            FamilyPlan,
            MeetingKind,
            PlanAction,
            PlanOutcome,
            TafMeeting,
        )

        rng = self.rng
        assessments = Copier(Assessment)
        plans = Copier(FamilyPlan)
        outcomes = Copier(PlanOutcome)
        actions = Copier(PlanAction)
        meetings = Copier(TafMeeting)
        chronology = Copier(ChronologyEntry)
        content = {
            "child_development_working_well": "Attends school most days.",
            "child_development_worries": "Sleep and routines.",
            "analysis": "Synthetic benchmark text.",
        }
        self.long_chronology_case = self.case_rows[-1][0]
        for cid, _fid, _did, lead_id, _aid, opened, closed in self.case_rows:
            started = opened + datetime.timedelta(days=rng.randint(0, 5))
            due = deadlines.assessment_due_on(started)
            assessments.add(
                case_id=cid,
                status="signed_off" if closed or rng.random() < 0.5 else "draft",
                content=content,
                started_on=started,
                due_on=due,
                created_by_id=lead_id,
                last_saved_by_id=lead_id,
                last_saved_at=_dt(started),
                created_at=_dt(started),
            )
            plan_on = min(due, closed or due)
            plan_on = max(plan_on, started)
            pid = plans.add(
                case_id=cid,
                created_on=plan_on,
                first_taf_due_on=deadlines.first_taf_meeting_due_on(plan_on),
                agreed_on=plan_on + datetime.timedelta(days=7)
                if (closed is None or closed > plan_on + datetime.timedelta(days=7))
                else None,
                created_by_id=lead_id,
                updated_at=_dt(plan_on),
            )
            for priority in range(1, 3):
                oid = outcomes.add(
                    plan_id=pid,
                    text="We want mornings to be calmer.",
                    priority=priority,
                    baseline_scaling=rng.randint(1, 5),
                    created_on=plan_on,
                )
                for _ in range(2 + (rng.random() < 0.5)):
                    set_on = plan_on
                    actions.add(
                        outcome_id=oid,
                        what="Morning routine chart with the family.",
                        owner_member_id=None,
                        owner_is_family=True,
                        set_on=set_on,
                        due_on=set_on + datetime.timedelta(days=rng.randint(7, 60)),
                        status="done"
                        if closed
                        else rng.choice(["not_started", "in_progress", "done"]),
                        completed_on=None,
                    )
            end = closed or TODAY
            day = plan_on + datetime.timedelta(days=8)
            kind = MeetingKind.FIRST_TAF
            while day < end:
                next_review = day + datetime.timedelta(days=rng.randint(28, 42))
                meetings.add(
                    case_id=cid,
                    kind=kind,
                    status="held",
                    scheduled_for=day,
                    held_on=day,
                    location="Family hub",
                    discussion="Progress noted.",
                    decision="continue",
                    next_review_on=next_review,
                    scheduled_by_id=lead_id,
                    recorded_by_id=lead_id,
                    recorded_at=_dt(day),
                )
                kind = MeetingKind.REVIEW
                day = next_review
            if closed is None:
                # Blank and empty fields take the model's defaults (bench/copier.py).
                meetings.add(case_id=cid, kind=kind, scheduled_for=day, scheduled_by_id=lead_id)
            entries = 600 if cid == self.long_chronology_case else rng.randint(4, 14)
            for e in range(entries):
                when = opened + datetime.timedelta(
                    days=int(((end - opened).days or 1) * e / max(entries, 1))
                )
                chronology.add(
                    case_id=cid,
                    kind=rng.choice(["note", "home_visit", "phone_call", "contact"]),
                    occurred_at=_dt(when),
                    title="Visit",
                    text="Synthetic note.",
                    author_id=lead_id,
                    recorded_at=_dt(when),
                    source_type="",
                    source_id=None,
                )
        for copier in (assessments, plans, outcomes, actions, meetings, chronology):
            copier.finish()
        self.counts = {
            "assessments": assessments.count,
            "plans": plans.count,
            "plan outcomes": outcomes.count,
            "actions": actions.count,
            "TAF meetings/reviews": meetings.count,
            "chronology entries": chronology.count,
        }

    # --- referrals ----------------------------------------------------------------------
    def referrals(self):
        from bench.county_referrals import generate_referrals

        self.counts["requests for support"] = generate_referrals(self)

    # --- audit --------------------------------------------------------------------------
    def audit(self):
        rng, size = self.rng, self.size
        events = Copier(AuditEvent, chunk=100_000)
        case_rows = self.case_rows
        span = (TODAY - START).days
        for n in range(size.audit_rows):
            cid, fid, _did, lead_id, _aid, opened, _closed = case_rows[
                rng.randrange(len(case_rows))
            ]
            at = _dt(
                START + datetime.timedelta(days=int(span * n / size.audit_rows)), hour=8 + n % 10
            )
            events.add(
                at=at,
                user_id=lead_id,
                action="view" if n % 5 else "change",
                record_type="earlyhelpcase",
                record_id=cid,
                person_id=None,
                family_id=fid,
                path=f"/cases/{cid}/",
                ip_address="10.0.0.1",
                changes={},
                reason="",
            )
        self.counts["audit rows"] = events.finish()

    def summary(self) -> dict:
        return {
            "districts": len(self.districts),
            "users": self.user_count,
            "families": len(self.family_children),
            "people": self.person_count,
            "cases": len(self.case_rows),
            "open cases": self.size.open_cases,
            **self.counts,
        }
