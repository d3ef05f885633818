"""Demo directory and family hubs for the demo county (load_demo_county calls
load_demo_directory): a few hundred services across the hubs and a year of hub sessions
with registers. Directory rows and attendance are bulk-created for speed (no case data is
made here); the states a user can meet are all present: active, temporarily closed and
inactive services, entries overdue for review, imported entries, families registered at
hubs, sessions with and without a register taken."""

import datetime
import random

from django.contrib.auth.models import Permission
from django.utils import timezone

from cases.models import Family, FamilyMembership, Need
from demo import synthetic as demo
from demo.accounts import demo_account
from directory.models import (
    Contact,
    HubRegistration,
    HubSession,
    Location,
    Schedule,
    ServiceAtLocation,
    ServiceNeed,
    SessionAttendance,
    SessionKind,
)
from partners.models import (
    Agency,
    AgencyKind,
    FamilyHub,
    Organisation,
    Role,
    Service,
    ServiceStatus,
    User,
)

# name pattern, needs (framework:code), ages, cost ("" = free), how to access, opening times
CATALOGUE = [
    (
        "Stay and play",
        ["sf:early_years"],
        (0, 4),
        "",
        "Drop in, no need to book",
        [("MO", 10, 12), ("TH", 10, 12)],
    ),
    (
        "Baby massage",
        ["sf:early_years", "sf:health"],
        (0, 1),
        "",
        "Book at the hub reception",
        [("TU", 13, 14)],
    ),
    (
        "Bumps to babies",
        ["sf:early_years", "sf:health"],
        (0, 1),
        "",
        "Midwife or health visitor referral",
        [("WE", 10, 12)],
    ),
    (
        "Speech and language drop-in",
        ["sf:early_years", "vu:send"],
        (1, 5),
        "",
        "Drop in",
        [("FR", 9, 11)],
    ),
    (
        "Incredible Years parenting programme",
        ["sf:family_relationships"],
        (3, 8),
        "",
        "Referral by a professional or ask at the hub",
        [("WE", 13, 15)],
    ),
    ("Triple P group", ["sf:family_relationships"], (2, 12), "", "Book by phone", [("TU", 18, 20)]),
    (
        "Teen parenting: Talking Teens",
        ["sf:family_relationships", "vu:anti_social"],
        (11, 18),
        "",
        "Book by phone",
        [("TH", 18, 20)],
    ),
    (
        "Youth club",
        ["sf:crime", "sf:health"],
        (11, 18),
        "£1 a session",
        "Drop in",
        [("MO", 18, 21), ("FR", 18, 21)],
    ),
    (
        "Young carers group",
        ["vu:young_carer"],
        (8, 18),
        "",
        "Referral by school or self-referral",
        [("WE", 16, 18)],
    ),
    (
        "Money and debt advice",
        ["sf:financial_stability"],
        None,
        "",
        "Book an appointment by phone",
        [("TU", 9, 16)],
    ),
    (
        "Food bank",
        ["sf:financial_stability"],
        None,
        "",
        "Voucher from any professional",
        [("SA", 10, 13)],
    ),
    ("Housing options clinic", ["sf:housing"], None, "", "Drop in or phone", [("TH", 9, 12)]),
    (
        "Domestic abuse outreach",
        ["sf:domestic_abuse", "vu:domestic_abuse"],
        None,
        "",
        "Self-referral or professional referral; confidential",
        [("MO", 9, 17)],
    ),
    (
        "Freedom Programme",
        ["sf:domestic_abuse", "vu:domestic_abuse"],
        None,
        "",
        "Referral after a safety assessment",
        [("WE", 10, 12)],
    ),
    (
        "Wellbeing café",
        ["sf:health", "vu:parental_mental_health"],
        None,
        "",
        "Drop in",
        [("FR", 13, 15)],
    ),
    (
        "Children's emotional wellbeing service",
        ["sf:health", "vu:mental_health"],
        (5, 18),
        "",
        "GP or school referral",
        [("TU", 9, 17)],
    ),
    (
        "Family drug and alcohol support",
        ["sf:substance_use", "vu:substance_misuse"],
        None,
        "",
        "Self-referral welcome",
        [("WE", 9, 17)],
    ),
    (
        "SEND parent support group",
        ["vu:send", "vu:disabled"],
        (0, 25),
        "",
        "Drop in",
        [("TH", 10, 12)],
    ),
    (
        "Homework club",
        ["sf:education", "vu:excluded"],
        (7, 16),
        "",
        "Ask at school",
        [("MO", 15, 17)],
    ),
    (
        "Attendance support",
        ["sf:education", "vu:excluded"],
        (5, 16),
        "",
        "School referral",
        [("TU", 9, 15)],
    ),
    ("Dads' group", ["sf:family_relationships"], (0, 11), "", "Drop in", [("SA", 10, 12)]),
    (
        "Adult learning: English and maths",
        ["sf:financial_stability", "sf:education"],
        None,
        "£15 a course (free on benefits)",
        "Enrol online or at the hub",
        [("TH", 13, 15)],
    ),
    ("Employment support", ["sf:financial_stability"], None, "", "Book by phone", [("FR", 9, 12)]),
    (
        "Healthy eating: cook and eat",
        ["sf:health"],
        None,
        "£2 a session",
        "Book at reception",
        [("WE", 17, 19)],
    ),
]
COUNTY_WIDE = [
    (
        "Demoshire Families Information Service",
        ["sf:early_years", "sf:education"],
        None,
        "Phone or email",
    ),
    (
        "Citizens Advice Demoshire",
        ["sf:financial_stability", "sf:housing"],
        None,
        "Phone or book online",
    ),
    (
        "Demoshire Women's Aid helpline",
        ["sf:domestic_abuse", "vu:domestic_abuse"],
        None,
        "24 hour helpline",
    ),
    (
        "Young Minds Matter online counselling",
        ["vu:mental_health", "sf:health"],
        (11, 25),
        "Sign up online",
    ),
    (
        "Substance misuse service for young people",
        ["vu:misusing_substances", "sf:substance_use"],
        (10, 21),
        "Self-referral",
    ),
    (
        "Missing from home return interviews",
        ["vu:missing", "vu:exploitation"],
        (10, 18),
        "Police or social care referral",
    ),
    ("Prevent advice line", ["vu:radicalisation"], None, "Phone"),
    ("Prisoners' families helpline", ["vu:parent_in_custody"], None, "Phone or webchat"),
    ("Private fostering advice", ["vu:privately_fostered"], None, "Phone the front door"),
    (
        "Gangs and county lines outreach",
        ["vu:gangs", "sf:crime", "vu:exploitation"],
        (10, 21),
        "Professional referral",
    ),
    ("Young people's sexual health clinic", ["sf:health"], (13, 25), "Drop in"),
    ("Care leavers' hub", ["vu:returned_home"], (16, 25), "Via your personal adviser"),
]
VOLUNTARY = [
    "Home-Start Demoshire",
    "Demoshire Carers' Centre",
    "Barnardo's Demoshire",
    "Action for Children Demoshire",
    "Demoshire Mind",
    "Demoshire Women's Aid",
    "Citizens Advice Demoshire",
    "The Trussell Trust, Demoshire",
    "Demoshire Youth Partnership",
    "Learning Together Demoshire",
]


def _slug(name: str) -> str:
    return "".join(c for c in name.split(",")[0].lower() if c.isalnum())


def _needs() -> dict[str, Need]:
    prefix = {"supporting_families": "sf", "vulnerability": "vu"}
    return {f"{prefix[n.framework]}:{n.code}": n for n in Need.objects.filter(active=True)}


def _user(email, name, job_title, role, agency, districts, perms) -> User:
    user = demo_account(email, name, role, agency, districts, job_title=job_title)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="directory", codename__in=perms)
    )
    return user


def load_demo_directory(rng: random.Random, *, today: datetime.date) -> None:
    hubs = list(FamilyHub.objects.select_related("district").order_by("pk"))
    if not hubs:
        return
    districts = [h.district for h in hubs]
    # Teams and agencies belong to hubs.
    for hub in hubs:
        Agency.objects.filter(
            kind=AgencyKind.EARLY_HELP_TEAM, districts=hub.district, family_hub__isnull=True
        ).exclude(name__icontains="front door").update(family_hub=hub)
    team = Agency.objects.filter(family_hub=hubs[0]).first()
    hub_manager = _user(
        "hubmanager@demo.test",
        "Hana Okafor",
        "Family hub manager",
        Role.TEAM_MANAGER,
        team,
        [hubs[0].district],
        ["edit_directory", "run_hub"],
    )
    editor = _user(
        "directory@demo.test",
        "Dev Mistry",
        "Family information service officer",
        Role.PRACTITIONER,
        Agency.objects.filter(kind=AgencyKind.EARLY_HELP_TEAM).exclude(pk=team.pk).first(),
        districts,
        ["edit_directory", "edit_whole_directory"],
    )
    hub_worker = _user(
        "hubworker@demo.test",
        "Lucy Brennan",
        "Family hub practitioner",
        Role.PRACTITIONER,
        team,
        [hubs[0].district],
        ["run_hub"],
    )
    needs = _needs()
    now = timezone.now()

    # Organisations: one per agency in the county, and voluntary groups.
    orgs = {
        a.pk: Organisation(name=a.name, agency=a, email=a.email, description=f"{a.name}.")
        for a in Agency.objects.order_by("pk")
    }
    Organisation.objects.bulk_create(orgs.values())
    voluntary = Organisation.objects.bulk_create(
        [
            Organisation(
                name=n,
                description=f"{n}: a voluntary and community sector organisation.",
                website=f"https://{_slug(n)}.example.org",
            )
            for n in VOLUNTARY
        ]
    )
    teams_by_hub = {
        a.family_hub_id: orgs[a.pk] for a in Agency.objects.filter(family_hub__isnull=False)
    }

    # Places: each hub building, a library and a community centre per district; one online.
    locations, hub_places = [], {}
    for hub in hubs:
        street = rng.choice(demo.STREETS)
        building = Location(
            name=hub.name,
            family_hub=hub,
            address_1=f"1 {street}",
            city=hub.district.name,
            postcode=demo.postcode(rng, hubs.index(hub)),
            description="Step-free entrance, baby changing, parking.",
        )
        library = Location(
            name=f"{hub.district.name} Library",
            address_1=f"{rng.randint(2, 90)} High Street",
            city=hub.district.name,
            postcode=demo.postcode(rng, hubs.index(hub)),
        )
        centre = Location(
            name=f"{hub.district.name} Community Centre",
            address_1=f"{rng.randint(2, 90)} {rng.choice(demo.STREETS)}",
            city=hub.district.name,
            postcode=demo.postcode(rng, hubs.index(hub)),
        )
        locations += [building, library, centre]
        hub_places[hub.pk] = [building, library, centre]
    online = Location(name="Online and by phone", location_type="virtual")
    locations.append(online)
    Location.objects.bulk_create(locations)

    services, service_needs, service_places, districts_of = [], [], [], []
    schedules, contacts = [], []

    def reviewed():
        # Most reviewed this year; about one in eight overdue for review.
        days = rng.randint(380, 500) if rng.random() < 0.12 else rng.randint(5, 330)
        return today - datetime.timedelta(days=days)

    for hub in hubs:
        for name, codes, ages, cost, access, times in CATALOGUE:
            if rng.random() < 0.08:
                continue  # not every hub runs everything
            provider = teams_by_hub.get(hub.pk) if rng.random() < 0.6 else rng.choice(voluntary)
            provider = provider or rng.choice(voluntary)
            status = ServiceStatus.ACTIVE
            roll = rng.random()
            if roll < 0.03:
                status = ServiceStatus.TEMPORARILY_CLOSED
            elif roll < 0.05:
                status = ServiceStatus.INACTIVE
            service = Service(
                name=f"{name} at {hub.name}",
                organisation=provider,
                agency=provider.agency,
                family_hub=hub,
                description=f"{name} for families in {hub.district.name}, run by {provider.name}.",
                status=status,
                minimum_age=ages[0] if ages else None,
                maximum_age=ages[1] if ages else None,
                free=not cost,
                cost=cost,
                how_to_access=access,
                phone=f"0300 555 {rng.randint(1000, 9999)}",
                email=f"{hub.district.code}.hub@demoshire.example.org",
                last_reviewed_on=reviewed(),
                editor=hub_manager if hub == hubs[0] else editor,
                updated_at=now,
            )
            services.append(service)
            service_needs.append([needs[c] for c in codes if c in needs])
            service_places.append([rng.choice(hub_places[hub.pk][:2])])
            districts_of.append([hub.district])
            schedules.append(times)
            contacts.append(("Hub reception", "Family hub team"))
    for name, codes, ages, access in COUNTY_WIDE:
        provider = rng.choice(voluntary)
        services.append(
            Service(
                name=name,
                organisation=provider,
                description=f"{name}: county-wide.",
                minimum_age=ages[0] if ages else None,
                maximum_age=ages[1] if ages else None,
                how_to_access=access,
                url=provider.website or "https://www.example.org",
                phone=f"0800 555 {rng.randint(1000, 9999)}",
                last_reviewed_on=reviewed(),
                editor=editor,
                updated_at=now,
            )
        )
        service_needs.append([needs[c] for c in codes if c in needs])
        service_places.append([online])
        districts_of.append([])
        schedules.append(
            [("MO", 9, 17), ("TU", 9, 17), ("WE", 9, 17), ("TH", 9, 17), ("FR", 9, 16)]
        )
        contacts.append(("Helpline", "Advice team"))
    # An entry imported from a neighbouring authority's feed (not republished).
    neighbour = Organisation.objects.create(
        name="Neighbourshire Family Support",
        description="A neighbouring directory.",
        source="https://neighbourshire.example.org/openreferral/services",
        external_id="org-1",
    )
    services.append(
        Service(
            name="Neighbourshire holiday activities (HAF)",
            organisation=neighbour,
            description="Holiday activities and food for children on free school meals.",
            minimum_age=5,
            maximum_age=16,
            url="https://neighbourshire.example.org/haf",
            source=neighbour.source,
            external_id="svc-1",
            updated_at=now,
            last_reviewed_on=today - datetime.timedelta(days=30),
        )
    )
    service_needs.append([needs["sf:financial_stability"]])
    service_places.append([])
    districts_of.append([districts[0]])
    schedules.append([])
    contacts.append(None)
    # A service closed for good: kept for the plans and signposting that named it.
    services.append(
        Service(
            name=f"Toy library at {hubs[0].name}",
            organisation=teams_by_hub.get(hubs[0].pk) or voluntary[0],
            agency=team,
            family_hub=hubs[0],
            description="Borrow toys and books for under-fives. Closed for good in March; "
            "the hub's stay and play lends a few toys instead.",
            status=ServiceStatus.DEFUNCT,
            minimum_age=0,
            maximum_age=5,
            how_to_access="No longer running",
            last_reviewed_on=today - datetime.timedelta(days=240),
            editor=hub_manager,
            updated_at=now,
        )
    )
    service_needs.append([needs["sf:early_years"]])
    service_places.append([hub_places[hubs[0].pk][0]])
    districts_of.append([districts[0]])
    schedules.append([])
    contacts.append(None)

    Service.objects.bulk_create(services)
    ServiceNeed.objects.bulk_create(
        [
            ServiceNeed(service=s, need=n)
            for s, ns in zip(services, service_needs, strict=True)
            for n in ns
        ]
    )
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=s, location=loc)
            for s, ls in zip(services, service_places, strict=True)
            for loc in ls
        ]
    )
    Service.districts.through.objects.bulk_create(
        [
            Service.districts.through(service_id=s.pk, district_id=d.pk)
            for s, ds in zip(services, districts_of, strict=True)
            for d in ds
        ]
    )
    Schedule.objects.bulk_create(
        [
            Schedule(service=s, byday=day, opens_at=datetime.time(a), closes_at=datetime.time(b))
            for s, ts in zip(services, schedules, strict=True)
            for day, a, b in ts
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(service=s, name=c[0], title=c[1], phone=s.phone)
            for s, c in zip(services, contacts, strict=True)
            if c
        ]
    )
    _hub_year(rng, hubs, today=today, staff=hub_worker)
    _signposting(rng, fallback_author=hub_worker)


def _signposting(rng: random.Random, *, fallback_author: User) -> None:
    """Families signposted to directory services (so the signposting report has figures):
    every "information and signposting" decision, a closure record for each case stepped
    down to universal services, and about one plan action in four."""
    from assessments.models import PlanAction
    from cases.models import CaseClosure, ClosureReason, EarlyHelpCase, FamilyView
    from referrals.models import Outcome, TriageDecision

    by_district: dict[int | None, list[int]] = {}
    county_wide = list(
        Service.objects.filter(status=ServiceStatus.ACTIVE, districts__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for pk, district_id in Service.districts.through.objects.filter(
        service__status=ServiceStatus.ACTIVE
    ).values_list("service_id", "district_id"):
        by_district.setdefault(district_id, []).append(pk)

    def pick(district_id, most=2):
        choices = by_district.get(district_id, []) + county_wide
        return rng.sample(choices, min(len(choices), rng.randint(1, most))) if choices else []

    decisions = TriageDecision.objects.filter(outcome=Outcome.SIGNPOSTING).values_list(
        "pk", "referral__district_id"
    )
    TriageDecision.signposted_services.through.objects.bulk_create(
        [
            TriageDecision.signposted_services.through(triagedecision_id=pk, service_id=s)
            for pk, district_id in decisions
            for s in pick(district_id, 3)
        ],
        ignore_conflicts=True,
    )
    stepped_down = EarlyHelpCase.objects.filter(
        status="closed", closure_reason=ClosureReason.STEPPED_DOWN, closure__isnull=True
    ).values_list("pk", "closed_on", "lead_professional_id", "district_id")
    closures = CaseClosure.objects.bulk_create(
        [
            CaseClosure(
                case_id=pk,
                reason=ClosureReason.STEPPED_DOWN,
                closed_on=closed_on,
                family_view=rng.choice(list(FamilyView)).value,
                summary="Stepped down to universal services in the family's area.",
                closed_by_id=lead_id or fallback_author.pk,
            )
            for pk, closed_on, lead_id, _district in stepped_down
        ]
    )
    district_of = {pk: district for pk, _c, _l, district in stepped_down}
    CaseClosure.signposted_services.through.objects.bulk_create(
        [
            CaseClosure.signposted_services.through(caseclosure_id=c.pk, service_id=s)
            for c in closures
            for s in pick(district_of[c.case_id])
        ],
        ignore_conflicts=True,
    )
    actions = PlanAction.objects.order_by("pk").values_list(
        "pk", "outcome__plan__case__district_id"
    )
    PlanAction.services.through.objects.bulk_create(
        [
            PlanAction.services.through(planaction_id=pk, service_id=s)
            for i, (pk, district_id) in enumerate(actions)
            if i % 4 == 0
            for s in pick(district_id, 1)
        ],
        ignore_conflicts=True,
    )


SESSION_PLAN = [
    (SessionKind.STAY_AND_PLAY, "Stay and play", 0, (10, 12)),
    (SessionKind.PARENTING, "Incredible Years parenting programme", 2, (13, 15)),
    (SessionKind.YOUTH, "Youth club", 4, (18, 20)),
    (SessionKind.GROUP, "Wellbeing café", 3, (13, 15)),
    (SessionKind.DROP_IN, "Money advice drop-in", 1, (9, 12)),
]


def _hub_year(rng: random.Random, hubs, *, today: datetime.date, staff: User) -> None:
    """Register most families at their district's hub and hold a year of weekly sessions."""
    registrations = []
    by_hub: dict[int, list[int]] = {h.pk: [] for h in hubs}
    hub_of_district = {h.district_id: h for h in hubs}
    for family in Family.objects.filter(restricted=False).order_by("pk"):
        hub = hub_of_district.get(family.district_id)
        if hub is None or rng.random() < 0.25:
            continue
        registrations.append(
            HubRegistration(
                hub=hub,
                family=family,
                registered_by=staff,
                registered_on=today - datetime.timedelta(days=rng.randint(0, 700)),
            )
        )
        by_hub[hub.pk].append(family.pk)
    HubRegistration.objects.bulk_create(registrations)
    members: dict[int, list[tuple[int, bool]]] = {}
    for family_id, person_id, born in FamilyMembership.objects.values_list(
        "family_id", "person_id", "person__date_of_birth"
    ):
        child = born is None or (today - born).days < 18 * 365
        members.setdefault(family_id, []).append((person_id, child))
    start = today - datetime.timedelta(days=364)
    sessions, people_at = [], []
    for hub in hubs:
        families = by_hub[hub.pk]
        if not families:
            continue
        for week in range(53):
            monday = start + datetime.timedelta(days=7 * week - start.weekday())
            for kind, title, weekday, (a, b) in SESSION_PLAN:
                held_on = monday + datetime.timedelta(days=weekday)
                if held_on > today + datetime.timedelta(days=7) or held_on < start:
                    continue
                if kind == SessionKind.PARENTING and (week % 14) >= 10:
                    continue  # a 10-week programme, then a break
                sessions.append(
                    HubSession(
                        hub=hub,
                        kind=kind,
                        title=title,
                        held_on=held_on,
                        starts_at=datetime.time(a),
                        ends_at=datetime.time(b),
                        created_by=staff,
                        register_taken_at=None if held_on >= today else timezone.now(),
                    )
                )
                chosen = {}
                for family_id in rng.sample(families, k=min(len(families), rng.randint(1, 5))):
                    people = members.get(family_id, [])
                    if kind == SessionKind.YOUTH:
                        people = [p for p in people if p[1]]
                    chosen.update({p: (family_id, c) for p, c in people[: rng.randint(1, 3)]})
                people_at.append(chosen if held_on < today else {})
    HubSession.objects.bulk_create(sessions, batch_size=2000)
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                session=s, person_id=p, family_id=fc[0], child=fc[1], recorded_by=staff
            )
            for s, ps in zip(sessions, people_at, strict=True)
            for p, fc in ps.items()
        ],
        batch_size=5000,
    )
