"""{% term "lead professional" %}: the authority's chosen words (earlyhelp/wording.py).
Inside another tag use the filter: {% include "x.html" with key="Lead professional"|term %}.
Loaded as a builtin, so every template, PDF and email template can use it without a load."""

from django import template

from earlyhelp.forms import in_a_sentence
from earlyhelp.wording import term as _term

register = template.Library()


@register.simple_tag(name="term")
def term(key: str) -> str:
    return _term(key)


@register.filter(name="term")
def term_filter(key: str) -> str:
    return _term(key)


@register.filter(name="in_a_sentence")
def in_a_sentence_filter(label) -> str:
    """A choice's label inside a sentence: "From a TAF review" reads "from a TAF review"
    (|lower would say "taf"), and one starting with an abbreviation keeps it."""
    return in_a_sentence(label)
