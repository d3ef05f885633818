"""{% once %}: a recording form's one-time token, next to {% csrf_token %}. Fresh each time
the form is shown; earlyhelp.pages saves a form sent with the same token only once.

A browser that fetches the form again on Back restores what was typed but not a hidden
field, so the page's script also keeps the token in a field it restores (`once_kept`, a
text field that is never shown) and puts it back from there: the form sent again after
Back carries the token it was first sent with. Without the script, the hidden field alone."""

from django import template
from django.utils.html import format_html

from earlyhelp import pages

register = template.Library()


@register.simple_tag
def once() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}"><input type="text" name="{}_kept" value="" '
        "hidden>",
        pages.ONCE_FIELD,
        pages.new_token(),
        pages.ONCE_FIELD,
    )
