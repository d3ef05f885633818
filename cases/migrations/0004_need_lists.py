from django.db import migrations

SUPPORTING_FAMILIES_2022 = [
    ("education", "Getting a good education"),
    ("early_years", "Good early years development"),
    ("health", "Improved mental and physical health"),
    ("substance_use", "Better managed substance use"),
    ("family_relationships", "Improved family relationships"),
    ("safe_from_abuse", "Children safe from abuse and exploitation"),
    ("crime", "Families diverted from crime"),
    ("domestic_abuse", "Safe from domestic abuse"),
    ("housing", "Secure housing"),
    ("financial_stability", "Financial stability"),
]

# Working Together to Safeguard Children: children who may benefit from early help.
WORKING_TOGETHER_2023 = [
    ("disabled", "Is disabled or has specific additional needs"),
    ("send", "Has special educational needs (whether or not an EHC plan)"),
    ("young_carer", "Is a young carer"),
    ("anti_social", "Is showing signs of anti-social or criminal behaviour"),
    ("gangs", "Is involved with gangs or organised crime groups"),
    ("missing", "Frequently goes missing from care or home"),
    ("exploitation", "Is at risk of modern slavery, trafficking or exploitation"),
    ("radicalisation", "Is at risk of being radicalised"),
    ("domestic_abuse", "Lives where there is domestic abuse"),
    ("substance_misuse", "Lives where there is parental substance misuse"),
    ("parental_mental_health", "Lives where there are parental mental health issues"),
    ("parent_in_custody", "Has a parent or family member in custody"),
    ("privately_fostered", "Is privately fostered"),
    ("misusing_substances", "Is misusing drugs or alcohol themselves"),
    ("returned_home", "Has returned home to their family from care"),
    ("excluded", "Is persistently absent, excluded or at risk of exclusion"),
    ("mental_health", "Has a mental health need"),
]


def load(apps, schema_editor):
    Need = apps.get_model("cases", "Need")
    for framework, version, rows in [
        ("supporting_families", "2022-25", SUPPORTING_FAMILIES_2022),
        ("vulnerability", "WT2023", WORKING_TOGETHER_2023),
    ]:
        for order, (code, label) in enumerate(rows, start=1):
            Need.objects.update_or_create(
                framework=framework, version=version, code=code,
                defaults={"label": label, "order": order},
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_need")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
