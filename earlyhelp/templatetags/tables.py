"""{% wide_table %}<table>...</table>{% endwide_table %}: a table wider than a phone
scrolls sideways inside its own box, so the page itself reflows at 320 CSS px (WCAG 1.4.10).

The box is a named, focusable region, so a keyboard user can scroll it with the arrow keys:
it is named by the table's caption (which gets an id if it has none), or by
{% wide_table label="..." %} for a table without a caption."""

import re

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption\b([^>]*)>")
_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_COUNTER = "wide_table_count"


@register.tag
def wide_table(parser, token):
    bits = token.split_contents()[1:]
    kwargs = token_kwargs(bits, parser)
    if bits or set(kwargs) - {"label"}:
        raise template.TemplateSyntaxError('{% wide_table %} takes only label="..."')
    nodelist = parser.parse(("endwide_table",))
    parser.delete_first_token()
    return WideTableNode(nodelist, kwargs.get("label"))


class WideTableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        table = self.nodelist.render(context)
        if self.label is not None:
            name = format_html('aria-label="{}"', self.label.resolve(context))
        else:
            table, caption_id = _caption_id(table, context)
            name = format_html('aria-labelledby="{}"', caption_id)
        return format_html(
            '<div class="eh-table-box" role="region" {} tabindex="0">{}</div>',
            name,
            mark_safe(table),  # noqa: S308  (already rendered and escaped by the template)
        )


def _caption_id(table: str, context) -> tuple[str, str]:
    """The caption's id, giving it one unique on the page if it has none."""
    caption = _CAPTION.search(table)
    if caption is None:
        raise template.TemplateSyntaxError('a {% wide_table %} needs a caption or label="..."')
    given = _ID.search(caption.group(1))
    if given:
        return table, given.group(1)
    # The outermost render context lasts the whole page, includes and loops alike.
    page = context.render_context.dicts[0]
    page[_COUNTER] = page.get(_COUNTER, 0) + 1
    caption_id = f"table-caption-{page[_COUNTER]}"
    tag = f'<caption id="{caption_id}"{caption.group(1)}>'
    return table[: caption.start()] + tag + table[caption.end() :], caption_id
