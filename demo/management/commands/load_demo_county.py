"""Build the deterministic synthetic demo county (12 districts, ~40 agencies, a user for
every role, a few hundred families with cases)."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from cases import services as case_services
from cases.codes import Disability, Ethnicity, Gender, Relationship, SenStatus
from cases.models import (
    CaseStatus,
    ClosureReason,
    EarlyHelpCase,
    Family,
    FamilyMembership,
    Person,
)
from demo import synthetic as demo
from demo.accounts import demo_account
from partners.models import Agency, AgencyKind, District, FamilyHub, Role, User

TODAY = datetime.date(2026, 11, 2)  # fixed, so the county is the same on every machine


class Command(BaseCommand):
    help = "Load the synthetic demo county. With --if-empty, do nothing if data exists."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true")
        parser.add_argument("--families", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty=False, families=300, seed=2026, **options):
        if if_empty and District.objects.exists():
            self.stdout.write("Demo county already loaded; keeping your data.")
            return
        with transaction.atomic():
            DemoCounty(random.Random(seed)).build(families)
        self.stdout.write(self.style.SUCCESS("Demo county loaded."))


class DemoCounty:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.password = make_password(demo.DEMO_PASSWORD)

    def build(self, family_count: int) -> None:
        self.districts = [
            District.objects.create(code=name.lower().replace(" ", "-"), name=name)
            for name in demo.DISTRICTS
        ]
        for d in self.districts:
            FamilyHub.objects.create(
                district=d,
                name=f"{d.name} Family Hub",
                address=f"1 {self.rng.choice(demo.STREETS)}, {d.name}",
            )
        self._agencies()
        self._users()
        self._families(family_count)
        from demo.caseflow import load_demo_caseflow
        from demo.casework import load_demo_casework
        from demo.directory import load_demo_directory
        from demo.outbox import load_demo_outbox
        from demo.outcomes import load_demo_outcomes
        from demo.records import load_demo_records
        from demo.referrals import load_demo_referrals
        from demo.restriction import load_demo_restrictions
        from demo.states import load_demo_states
        from demo.summaries import load_demo_summaries
        from demo.work import load_demo_work

        open_cases = EarlyHelpCase.objects.filter(status=CaseStatus.OPEN).order_by("pk")
        load_demo_casework(self.rng, list(open_cases))
        load_demo_referrals(self.rng, count=60, today=TODAY)
        # Each feature's states, built through its services (issues 12-17).
        load_demo_restrictions()
        load_demo_outbox()
        load_demo_caseflow(self.rng, today=TODAY)
        load_demo_records()
        load_demo_work()
        load_demo_outcomes(self.rng)
        load_demo_directory(self.rng, today=TODAY)
        load_demo_states()  # after the others: the states none of them reaches
        load_demo_summaries()  # last: the figures of everything above

    def _agencies(self) -> None:
        self.eh_teams, self.partner_agencies = [], []
        for d in self.districts:
            team = Agency.objects.create(
                name=f"{d.name} Early Help Team", kind=AgencyKind.EARLY_HELP_TEAM
            )
            team.districts.add(d)
            self.eh_teams.append(team)
        for i, d in enumerate(self.districts[:6]):
            kind, pattern = demo.AGENCY_KINDS[i % len(demo.AGENCY_KINDS)]
            for kind, pattern in demo.AGENCY_KINDS:
                agency = Agency.objects.create(name=pattern.format(d=d.name), kind=kind)
                agency.districts.add(d)
                self.partner_agencies.append(agency)
        for name, kind in [
            ("Demoshire Constabulary", AgencyKind.POLICE),
            ("Demoshire Children's Social Care", AgencyKind.SOCIAL_CARE),
            ("Demoshire Housing Partnership", AgencyKind.HOUSING),
            ("Families Together (charity)", AgencyKind.VOLUNTARY),
            ("Demoshire Youth Justice Service", AgencyKind.YOUTH_JUSTICE),
            ("Demoshire Front Door", AgencyKind.EARLY_HELP_TEAM),
        ]:
            agency = Agency.objects.create(name=name, kind=kind)
            agency.districts.set(self.districts)
            self.partner_agencies.append(agency)
        self.front_door_agency = self.partner_agencies[-1]
        self.social_care = Agency.objects.get(kind=AgencyKind.SOCIAL_CARE)
        # Agencies no demo user works for, met where an agency is chosen or named.
        for name, kind, districts in [
            ("Demoshire Adult Social Care", AgencyKind.ADULT_SERVICES, self.districts),
            ("Jobcentre Plus, Amberford", AgencyKind.OTHER, self.districts[:1]),
        ]:
            Agency.objects.create(name=name, kind=kind).districts.set(districts)

    def _user(self, email, name, role, agency, districts, **extra) -> User:
        job_title = extra.pop("job_title", Role(role).label)
        return demo_account(
            email,
            name,
            role,
            agency,
            districts,
            job_title=job_title,
            password=self.password,
            **extra,
        )

    def _users(self) -> None:
        d1, d2 = self.districts[0], self.districts[1]
        school = Agency.objects.get(name=f"{d1.name} Primary School")
        self.demo_practitioner = self._user(
            "practitioner@demo.test",
            "Priya Shah",
            Role.PRACTITIONER,
            self.eh_teams[0],
            [d1],
            job_title="Family support worker",
        )
        self.school_practitioner = self._user(
            "teacher@demo.test",
            "Tom Barnes",
            Role.PRACTITIONER,
            school,
            [d1],
            job_title="Designated safeguarding lead",
        )
        self._user(
            "frontdoor@demo.test",
            "Femi Adeyemi",
            Role.FRONT_DOOR,
            self.front_door_agency,
            self.districts[:4],
        )
        self._user(
            "manager@demo.test",
            "Morag Ellis",
            Role.TEAM_MANAGER,
            self.eh_teams[0],
            [d1, d2],
            job_title="District early help manager",
        )
        self._user(
            "schoolmanager@demo.test",
            "Sam Okoro",
            Role.TEAM_MANAGER,
            school,
            [d1],
            job_title="Headteacher",
        )
        self._user(
            "consultant@demo.test",
            "Cara Lindqvist",
            Role.CONSULTANT,
            self.eh_teams[0],
            [d1, d2],
            job_title="Early help consultant",
        )
        self._user(
            "strategic@demo.test",
            "Stuart Bell",
            Role.STRATEGIC,
            self.front_door_agency,
            self.districts,
            job_title="Partnership board analyst",
        )
        self._user(
            "admin@demo.test",
            "Ada Administrator",
            Role.ADMINISTRATOR,
            None,
            [],
            is_staff=True,
            job_title="System administrator",
        )
        self._user(
            "socialcare@demo.test",
            "Sian Pryce",
            Role.PRACTITIONER,
            self.social_care,
            self.districts,
            job_title="Social worker",
        )
        self.workers = {d.pk: [] for d in self.districts}
        for i, d in enumerate(self.districts):
            for n in range(3):
                first = self.rng.choice(demo.FIRST_NAMES_F + demo.FIRST_NAMES_M)
                last = self.rng.choice(demo.LAST_NAMES)
                self.workers[d.pk].append(
                    self._user(
                        f"worker{i + 1}-{n + 1}@demo.test",
                        f"{first} {last}",
                        Role.PRACTITIONER,
                        self.eh_teams[i],
                        [d],
                        job_title="Family support worker",
                    )
                )
        self.workers[d1.pk].append(self.demo_practitioner)

    def _person(self, last_name: str, age_years: float | None, **extra) -> Person:
        rng = self.rng
        gender = rng.choice(
            [Gender.MALE, Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.NOT_RECORDED]
        )
        names = demo.FIRST_NAMES_M if gender == Gender.MALE else demo.FIRST_NAMES_F
        if age_years is None:  # unborn
            born, expected = None, TODAY + datetime.timedelta(days=rng.randint(10, 200))
        else:
            born = TODAY - datetime.timedelta(days=int(age_years * 365.25) + rng.randint(0, 364))
            expected = None
        return Person.objects.create(
            first_name=rng.choice(names),
            last_name=last_name,
            date_of_birth=born,
            expected_date=expected,
            gender=Gender.NOT_RECORDED if born is None else gender,
            ethnicity=rng.choice(list(Ethnicity)[:6] + [Ethnicity.WBRI] * 8),
            nhs_number=demo.nhs_number(rng) if rng.random() < 0.8 else None,
            **extra,
        )

    def _families(self, count: int) -> None:
        rng = self.rng
        for i in range(count):
            d_index = i % len(self.districts)
            district = self.districts[d_index]
            last, address = demo.household(rng, district, d_index)
            family = Family.objects.create(
                **address,
                deprivation_decile=rng.randint(1, 10),
                restricted=(i % 97 == 5),
                restricted_contact=f"the {district.name} early help manager, 0300 123 4000"
                if i % 97 == 5
                else "",
            )
            adults = [self._person(last, rng.randint(22, 50))]
            if rng.random() < 0.55:
                adults.append(self._person(last, rng.randint(22, 55)))
            for n, adult in enumerate(adults):
                FamilyMembership.objects.create(
                    family=family,
                    person=adult,
                    relationship=Relationship.PARENT
                    if n == 0
                    else rng.choice(
                        [Relationship.PARENT, Relationship.STEP_PARENT, Relationship.CARER]
                    ),
                )
            children = []
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                age = rng.choice([None] + list(range(0, 20))) if rng.random() < 0.97 else 22
                extra = {}
                if age == 22 or rng.random() < 0.15:
                    extra = {
                        "sen_status": rng.choice([SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN]),
                        "disabilities": [rng.choice(list(Disability)[1:]).value],
                    }
                if age == 22:
                    extra["sen_status"] = SenStatus.EHC_PLAN
                child = self._person(last, age, **extra)
                children.append(child)
                FamilyMembership.objects.create(
                    family=family, person=child, relationship=Relationship.CHILD
                )
            if rng.random() < 0.6:
                self._case(family, adults, children, district)

    def _case(self, family, adults, children, district) -> None:
        rng = self.rng
        lead = rng.choice(self.workers[district.pk])
        if family.pk % 7 == 0 and district == self.districts[0]:
            lead = self.school_practitioner
        opened = TODAY - datetime.timedelta(days=rng.randint(5, 700))
        case = case_services.case_open(
            family=family,
            children=children,
            lead_agency=lead.agency,
            lead_professional=lead,
            level_of_need=rng.choice([2, 2, 3]),
            opened_on=opened,
            acting_user=lead,
        )
        consent = case_services.consent_record(
            case=case,
            given_by=adults[0],
            given_on=opened,
            method="in_person",
            shared_with=[lead.agency, *rng.sample(self.partner_agencies, 2)],
            acting_user=lead,
        )
        for agency in consent.shared_with.exclude(pk=lead.agency_id)[:1]:
            case_services.taf_member_add(
                case=case,
                agency=agency,
                contact_name=f"{rng.choice(demo.FIRST_NAMES_F)} {rng.choice(demo.LAST_NAMES)}",
                role_in_team="Partner contact",
                joined_on=opened,
                acting_user=lead,
            )
        if district == self.districts[0] and rng.random() < 0.3 and lead != self.demo_practitioner:
            case_services.taf_member_add(
                case=case,
                user=self.demo_practitioner,
                agency=self.demo_practitioner.agency,
                role_in_team="Family support",
                joined_on=opened,
                acting_user=lead,
            ) if self.demo_practitioner.agency_id == case.lead_agency_id else None
        if opened < TODAY - datetime.timedelta(days=200) and rng.random() < 0.7:
            case.status = "closed"
            case.closed_on = opened + datetime.timedelta(days=rng.randint(60, 190))
            case.closure_reason = rng.choice(list(ClosureReason)).value
            case.save(update_fields=["status", "closed_on", "closure_reason"])
