"""{% wide_table %}<table>...</table>{% endwide_table %}: a table wider than a phone
scrolls sideways inside its own box, so the page itself reflows at 320 CSS px (WCAG 1.4.10).

The box is a focusable region, so a keyboard user can scroll it with the arrow keys, named
by the table's caption (which gets an id, unique on the page, if it has none). Two regions
named alike are one landmark twice to someone moving by landmarks (axe "landmark-unique"):
a caption said again on the page gets its number ("Actions (2)"); better, a template words
each caption for its own table."""

import html
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption\b([^>]*)>")
_ID = re.compile(r"""(?:^|\s)id=["']([^"']+)["']""")
_CAPTION_TEXT = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")
_COUNTER = "wide_table_count"
_NAMES = "wide_table_names"


@register.tag
def wide_table(parser, token):
    if len(token.split_contents()) > 1:
        raise template.TemplateSyntaxError("{% wide_table %} takes no arguments")
    nodelist = parser.parse(("endwide_table",))
    parser.delete_first_token()
    return WideTableNode(nodelist)


class WideTableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        table, caption_id = _named_by_caption(self.nodelist.render(context), context)
        name = _said_before(table, context)
        if name:
            return format_html(
                '<div class="eh-table-box" role="region" aria-label="{}" tabindex="0">{}</div>',
                name,
                mark_safe(table),  # noqa: S308  (rendered and escaped by the template)
            )
        return format_html(
            '<div class="eh-table-box" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            caption_id,
            mark_safe(table),  # noqa: S308  (rendered and escaped by the template)
        )


def _said_before(table: str, context) -> str:
    """For a caption already naming a region on the page, the name with its number."""
    text = " ".join(html.unescape(_TAG.sub("", _CAPTION_TEXT.search(table).group(1))).split())
    names = context.render_context.dicts[0].setdefault(_NAMES, {})
    names[text] = names.get(text, 0) + 1
    return f"{text} ({names[text]})" if names[text] > 1 else ""


def _named_by_caption(table: str, context) -> tuple[str, str]:
    """The table, its caption given an id if it had none; and that id."""
    caption = _CAPTION.search(table)
    if caption is None:
        raise template.TemplateSyntaxError("a {% wide_table %} needs a <caption> to name it")
    given = _ID.search(caption.group(1))
    if given:
        return table, given.group(1)
    # The outermost render context lasts for the whole page, includes and loops alike.
    page = context.render_context.dicts[0]
    page[_COUNTER] = page.get(_COUNTER, 0) + 1
    caption_id = f"table-caption-{page[_COUNTER]}"
    tag = f'<caption id="{caption_id}"{caption.group(1)}>'
    return table[: caption.start()] + tag + table[caption.end() :], caption_id
