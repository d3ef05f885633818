"""{{ case.level_of_need|level_label }}: the authority's own words for a level of need, on
every page (a template builtin, see config/settings.py)."""

from django import template

from cases.models import LevelOfNeed

register = template.Library()


@register.filter
def level_label(code) -> str:
    """The authority's own label for a level of need (settings.LEVEL_OF_NEED_LABELS)."""
    try:
        return LevelOfNeed.label_for(int(code))
    except (TypeError, ValueError):
        return ""
