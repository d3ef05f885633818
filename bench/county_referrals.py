"""Requests for support for the county-scale data set: one per case (allocated), plus
requests that ended in advice, no further action or step up, and a queue of undecided
ones in every district."""

import datetime

from bench.copier import Copier


def generate_referrals(gen) -> int:
    from referrals.models import Referral, ReferralPerson, TriageDecision

    rng = gen.rng
    referrals = Copier(Referral)
    people = Copier(ReferralPerson)
    decisions = Copier(TriageDecision)
    from bench.county import TODAY, _dt

    officer = None
    from partners.models import User

    officer = User.objects.filter(role="front_door").values_list("pk", flat=True).first()

    def add(
        fid, district_id, received, agency_id, status, case_id=None, outcome=None, lead_id=None
    ):
        rid = referrals.add(
            status=status,
            version=1,
            channel=rng.choice(["web", "web", "phone", "api"]),
            created_by_id=officer,
            district_id=district_id,
            is_self_referral=False,
            referrer_user_id=None,
            referrer_name="A Referrer",
            referrer_role="Teacher",
            referrer_agency_id=agency_id,
            referrer_organisation="",
            referrer_email="",
            referrer_phone="",
            source="2A",
            town="",
            postcode="",
            worries="Synthetic worries.",
            working_well="Synthetic strengths.",
            support_requested="",
            family_consent="consented",
            no_consent_reason="",
            urgency="urgent" if rng.random() < 0.15 else "routine",
            significant_harm=False,
            possible_step_up=False,
            step_down_summary="",
            draft_data={},
            received_at=_dt(received, 9),
            due_on=received + datetime.timedelta(days=3),
            picked_up_by_id=officer if status == "in_triage" else None,
            picked_up_at=_dt(received, 11) if status == "in_triage" else None,
            family_id=fid,
            is_re_referral=False,
            case_id=case_id,
            closed_reason="",
            closed_note="",
            duplicate_of_id=None,
            created_at=_dt(received, 9),
            updated_at=_dt(received, 9),
        )
        for order, pid in enumerate(gen.family_children.get(fid, [])[:2]):
            people.add(
                referral_id=rid,
                first_name="Child",
                last_name="Synthetic",
                date_of_birth=datetime.date(2015, 1, 1),
                expected_date=None,
                gender="0",
                nhs_number="",
                upn="",
                relationship="child",
                order=order,
                person_id=pid,
                match="linked",
            )
        if status == "decided":
            decisions.add(
                referral_id=rid,
                level_of_need=2 if outcome != "step_up" else 4,
                outcome=outcome,
                rationale="Synthetic rationale.",
                allocated_agency_id=agency_id if case_id else None,
                lead_professional_id=lead_id,
                case_id=case_id,
                signposted_to="",
                decided_by_id=officer,
                decided_at=_dt(received, 15),
            )
        return rid

    for cid, fid, did, lead_id, agency_id, opened, _closed in gen.case_rows:
        received = opened - datetime.timedelta(days=rng.randint(1, 4))
        add(
            fid,
            did,
            received,
            agency_id,
            "decided",
            case_id=cid,
            outcome="targeted" if rng.random() < 0.7 else "universal_plus",
            lead_id=lead_id,
        )
    extra = max(0, gen.size.referrals - len(gen.case_rows))
    family_ids = list(gen.family_children)
    span = (TODAY - datetime.date(2016, 11, 2)).days
    for n in range(extra):
        fid = rng.choice(family_ids)
        did = gen.family_district[fid]
        agency_id = rng.choice(gen.agencies)[0]
        # The most recent few hundred are the live queue: received, some picked up.
        if n >= extra - max(20, extra // 25):
            received = TODAY - datetime.timedelta(days=rng.randint(0, 6))
            add(fid, did, received, agency_id, rng.choice(["submitted", "in_triage"]))
        else:
            received = datetime.date(2016, 11, 2) + datetime.timedelta(
                days=int(span * n / max(extra, 1))
            )
            add(
                fid,
                did,
                received,
                agency_id,
                "decided",
                outcome=rng.choice(["nfa", "signposting", "signposting", "step_up"]),
            )
    referrals.finish()
    people.finish()
    decisions.finish()
    return referrals.count
