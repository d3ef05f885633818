"""The national framework shipped as the default local outcomes plan.

Headline outcomes in the words of the Supporting Families programme guidance 2022 to 2025,
chapter 5 (STANDARDS.md). Descriptors and success measures paraphrase the guidance's
headline descriptors; the sustain periods are the defaults an authority starts from and
edits in its own plan (a new version, never an edit of one families were judged against).
"""

DEFAULT_MIN_NEEDS = 3
DEFAULT_AUDIT_SAMPLE_PERCENT = 10
SIX_MONTHS = 182
THREE_TERMS = 273

# (code, label, eligibility descriptors, success measures, sustain days)
HEADLINES_2022 = [
    (
        "education",
        "Getting a good education",
        "Persistent or severe absence from school, exclusion or risk of it, a child missing "
        "education, or additional learning needs not being met.",
        "Attendance above 90% with no exclusions, or a child back in suitable education.",
        THREE_TERMS,
    ),
    (
        "early_years",
        "Good early years development",
        "Concerns about a child's development in the early years, a parent needing support "
        "to meet the child's needs, or the child not taking up early education.",
        "The child reaches the expected development checks or takes up early education.",
        SIX_MONTHS,
    ),
    (
        "health",
        "Improved mental and physical health",
        "A family member with a mental or physical health need that affects the family, "
        "not met by current support.",
        "The family member engages with treatment and reports and shows improved health.",
        SIX_MONTHS,
    ),
    (
        "substance_use",
        "Better managed substance use",
        "A family member's drug or alcohol use affects the family.",
        "Engaged with treatment and the harmful use has reduced or stopped.",
        SIX_MONTHS,
    ),
    (
        "family_relationships",
        "Improved family relationships",
        "Conflict between family members, parenting needs, or a young carer's role harming them.",
        "Reduced conflict and improved parenting, as seen by the family and the TAF.",
        SIX_MONTHS,
    ),
    (
        "safe_from_abuse",
        "Children safe from abuse and exploitation",
        "A child at risk of abuse, neglect or exploitation, or going missing.",
        "The risk is reduced: no further incidents and no escalation to social care.",
        SIX_MONTHS,
    ),
    (
        "crime",
        "Families diverted from crime",
        "A family member involved in crime or anti-social behaviour, or at risk of it.",
        "No further offending or anti-social behaviour recorded.",
        SIX_MONTHS,
    ),
    (
        "domestic_abuse",
        "Safe from domestic abuse",
        "A family member experiencing or at risk of domestic abuse, or using it.",
        "No further incidents recorded and safety plans in place and working.",
        SIX_MONTHS,
    ),
    (
        "housing",
        "Secure housing",
        "The family is homeless, at risk of losing its home, or lives in unsuitable housing.",
        "The family is in suitable, stable housing with no risk of eviction.",
        SIX_MONTHS,
    ),
    (
        "financial_stability",
        "Financial stability",
        "Worklessness, problem debt or a family struggling to pay for essentials.",
        "A family member in work or progressing towards it, or debt under a managed plan.",
        SIX_MONTHS,
    ),
]
