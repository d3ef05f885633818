"""{{ person|over_18_cue }}: the triage cue for a young person aged 18 or over."""

from django import template
from django.utils import timezone

from cases import eligibility
from cases.codes import Relationship

register = template.Library()


@register.filter
def over_18_cue(person) -> str:
    """For a cases.Person, or a referrals.ReferralPerson (the child as the referrer gave
    them, using the linked record's SEND and care-leaver status once matched)."""
    today = timezone.localdate()
    if getattr(person, "relationship", Relationship.CHILD) != Relationship.CHILD:
        return ""
    linked = getattr(person, "person", None)
    if linked is not None and hasattr(person, "match"):
        return eligibility.triage_cue(linked, today) or ""
    if hasattr(person, "sen_status"):
        return eligibility.triage_cue(person, today) or ""
    born = person.date_of_birth
    if born is None or eligibility.age_on(born, today) < eligibility.ADULT_AGE:
        return ""
    age = eligibility.age_on(born, today)
    return (
        f"{person.full_name} is {age}. "
        f"{eligibility.OVER_25 if age > eligibility.MAX_AGE else eligibility.OVER_18}."
    )
