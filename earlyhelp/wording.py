"""The authority's own words (Families First, DfE 2025): "lead practitioner" or "lead
professional", "Family Help" or "early help". Pages use {% term "lead professional" %};
documents and exports call term() — one place, read from settings.LEAD_TITLE / HELP_NAME."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LEAD_TITLES = ("lead professional", "lead practitioner")
HELP_NAMES = ("early help", "Family Help")


def _words() -> dict[str, str]:
    lead = settings.LEAD_TITLE
    help_name = settings.HELP_NAME
    if lead not in LEAD_TITLES:
        raise ImproperlyConfigured(f"LEAD_TITLE must be one of {LEAD_TITLES}")
    if help_name not in HELP_NAMES:
        raise ImproperlyConfigured(f"HELP_NAME must be one of {HELP_NAMES}")
    return {
        "lead professional": lead,
        "lead professionals": f"{lead}s",
        "early help": help_name,
        # The assessment's name is a proper noun either way.
        "early help assessment": "Early Help Assessment"
        if help_name == "early help"
        else "Family Help assessment",
        "an early help": "an early help" if help_name == "early help" else f"a {help_name}",
        "an early help assessment": "an Early Help Assessment"
        if help_name == "early help"
        else "a Family Help assessment",
    }


def term_lazy(key: str):
    """term() for labels defined at import time (form fields, choices)."""
    from django.utils.functional import lazy

    return lazy(term, str)(key)


def term(key: str) -> str:
    """The authority's word for `key` (the default wording). A key starting with a capital
    gives the word with a capital: term("Lead professional") -> "Lead practitioner"."""
    word = _words().get(key.lower())
    if word is None:
        raise KeyError(f"No configured wording for {key!r}")
    return word[0].upper() + word[1:] if key[:1].isupper() else word


def counted(number: int, one: str, many: str = "") -> str:
    """A number with its noun, singular for one: counted(1, "person", "people") is
    "1 person" (a message saying "1 people attended" reads as a fault)."""
    return f"{number} {one if number == 1 else (many or one + 's')}"
