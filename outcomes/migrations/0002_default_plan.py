"""The national framework as version 1 of the local outcomes plan, and the programme team
and internal audit groups that hold the outcomes permissions."""

import datetime

from django.db import migrations

from outcomes.framework import DEFAULT_AUDIT_SAMPLE_PERCENT, DEFAULT_MIN_NEEDS, HEADLINES_2022

GROUPS = {
    "Family outcomes programme team": "run_programme",
    "Family outcomes internal audit": "audit_claims",
}


def load(apps, schema_editor):
    Plan = apps.get_model("outcomes", "OutcomesPlanVersion")
    Headline = apps.get_model("outcomes", "HeadlineOutcome")
    if not Plan.objects.exists():
        plan = Plan.objects.create(
            number=1,
            title="Supporting Families outcome framework 2022 to 2025",
            effective_from=datetime.date(2022, 4, 1),
            min_needs=DEFAULT_MIN_NEEDS,
            audit_sample_percent=DEFAULT_AUDIT_SAMPLE_PERCENT,
            note="The national framework, as shipped.",
        )
        for order, (code, label, descriptors, measures, days) in enumerate(HEADLINES_2022, 1):
            Headline.objects.create(
                plan=plan,
                code=code,
                label=label,
                order=order,
                eligibility_descriptors=descriptors,
                success_measures=measures,
                sustain_days=days,
            )
    # Permissions are created after migrate; create the two we need so groups can hold them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    ct, _ = ContentType.objects.get_or_create(app_label="outcomes", model="outcomesplanversion")
    names = {
        "run_programme": "Run the family outcomes programme: claims and returns",
        "audit_claims": "Audit family outcomes claims (internal audit)",
    }
    for group_name, codename in GROUPS.items():
        perm, _ = Permission.objects.get_or_create(
            content_type=ct, codename=codename, defaults={"name": names[codename]}
        )
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
