import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    """Services entered before the directory: each gets its own id, and its agency becomes
    the organisation that provides it."""
    Service = apps.get_model("partners", "Service")
    Organisation = apps.get_model("partners", "Organisation")
    for service in Service.objects.filter(uuid__isnull=True).select_related("agency"):
        service.uuid = uuid.uuid4()
        if service.organisation_id is None and service.agency_id is not None:
            organisation, _ = Organisation.objects.get_or_create(
                agency=service.agency,
                defaults={"name": service.agency.name, "email": service.agency.email},
            )
            service.organisation = organisation
        service.save(update_fields=["uuid", "organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_directory_entry"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="service",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
