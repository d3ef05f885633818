"""National code lists for people (DfE Children in Need census 2023-24; Ofsted Annex A).

Codes are stable; labels are for display. Annex A wants a letter prefix, kept beside the code.
"""

from django.db import models


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Gender(models.TextChoices):
    """CIN census gender codes."""

    MALE = "1", "Male"
    FEMALE = "2", "Female"
    NOT_RECORDED = "0", "Not recorded, or unborn"
    INDETERMINATE = "9", "Indeterminate"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other"


class SenStatus(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care plan"
    ASSESSMENT_REQUESTED = "ehc_requested", "EHC needs assessment requested"


class Language(models.TextChoices):
    """First-language codes the code refers to by name. The full DfE list is data:
    cases.models.FirstLanguage, loaded by migration 0012."""

    ENG = "ENG", "English"
    NOT_OBTAINED = "NOT", "Information not obtained"
    REF = "REF", "Refused"


class Relationship(models.TextChoices):
    """A person's place in the household."""

    CHILD = "child", "Child"
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    GRANDPARENT = "grandparent", "Grandparent"
    SIBLING = "sibling", "Sibling (adult)"
    OTHER_RELATIVE = "other_relative", "Other relative"
    OTHER_ADULT = "other_adult", "Other adult in household"


ANNEX_A_GENDER = {
    Gender.MALE: "a) Male",
    Gender.FEMALE: "b) Female",
    Gender.NOT_RECORDED: "c) Not stated/recorded",
    Gender.INDETERMINATE: "d) Neither",
}
ANNEX_A_ETHNICITY = {code: f"{chr(ord('a') + i)}) {code}" for i, code in enumerate(Ethnicity)}
