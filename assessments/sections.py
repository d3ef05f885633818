"""The shape of the Early Help Assessment, in one place: forms, PDFs, diffs and the API
all read these lists, so a section renamed here is renamed everywhere.

Strengths-based (Signs of Wellbeing and Success): for each area, what is working well, what
are we worried about, what needs to happen, and a scaling question from 0 to 10.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    hint: str


AREAS = [
    Area(
        "child_development",
        "The child's developmental needs",
        "Health, learning, emotional and behavioural development, identity, relationships, "
        "self-care.",
    ),
    Area(
        "parenting_capacity",
        "Parenting capacity",
        "Basic care, safety, emotional warmth, stimulation, guidance and boundaries, stability.",
    ),
    Area(
        "family_environment",
        "Family and environmental factors",
        "Family history and functioning, wider family, housing, employment, income, "
        "community resources.",
    ),
]

PROMPTS = [
    ("working_well", "What is working well?"),
    ("worried_about", "What are we worried about?"),
    ("needs_to_happen", "What needs to happen?"),
]
SCALING = ("scaling", "On a scale of 0 to 10, where are things now?")

GENERAL_FIELDS = [
    ("family_history", "Family history", "Important events and patterns in the family's story."),
    (
        "analysis",
        "Analysis",
        "What does the information mean for the children and the family, and what help is needed?",
    ),
]


def area_field(area: str, prompt: str) -> str:
    return f"{area}__{prompt}"


def voice_field(person_id: int) -> str:
    return f"voice__{person_id}"


def text_field_labels(people=()) -> list[tuple[str, str]]:
    """(key, label) for every text field, in reading order; `people` are (id, label) pairs
    for the voice of each child and each parent or carer."""
    fields = [(key, label) for key, label, _ in GENERAL_FIELDS[:1]]
    for area in AREAS:
        for prompt, label in PROMPTS:
            fields.append((area_field(area.code, prompt), f"{area.title}: {label}"))
        fields.append((area_field(area.code, SCALING[0]), f"{area.title}: scaling (0 to 10)"))
    for person_id, label in people:
        fields.append((voice_field(person_id), f"Voice of {label}"))
    fields.append((GENERAL_FIELDS[1][0], GENERAL_FIELDS[1][1]))
    return fields
