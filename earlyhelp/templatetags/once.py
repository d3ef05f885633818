"""{% once %}: a recording form's one-time token, next to {% csrf_token %}. Fresh each time
the form is shown; earlyhelp.pages saves a form sent with the same token only once."""

from django import template
from django.utils.html import format_html

from earlyhelp import pages

register = template.Library()


@register.simple_tag
def once() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', pages.ONCE_FIELD, pages.new_token()
    )
