"""{% term "lead professional" %}: the authority's chosen words (earlyhelp/wording.py).
Loaded as a builtin, so every template, PDF and email template can use it without {% load %}."""

from django import template

from earlyhelp.wording import term as _term

register = template.Library()


@register.simple_tag(name="term")
def term(key: str) -> str:
    return _term(key)
