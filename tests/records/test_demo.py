from django.core.management import call_command

from cases import access
from cases.models import EarlyHelpCase, Person
from partners.models import User
from records import merge
from records.models import RetentionReview, ReviewStatus


def test_the_demo_county_holds_every_records_state(db):
    call_command("load_demo_county", families=12, verbosity=0)
    manager = User.objects.get(email="manager@demo.test")
    unborn = Person.objects.filter(date_of_birth__isnull=True, first_name="Baby").get()
    assert EarlyHelpCase.objects.filter(children=unborn, status="open").exists()
    restricted = Person.objects.get(restricted=True, first_name="Minh")
    assert manager in restricted.named_people.all()
    zofia = Person.objects.filter(first_name="Zofia").order_by("pk").first()
    duplicates = merge.likely_duplicates_of(zofia, access.people_visible_to(manager))
    assert [p.first_name for p in duplicates] == ["Zofia"]
    assert RetentionReview.objects.filter(status=ReviewStatus.PENDING).count() >= 2
    assert "Ó Súilleabháin" in set(Person.objects.values_list("last_name", flat=True))
    assert Person.objects.get(first_name="Thảo").first_language_label == "Vietnamese"
