"""Accessible bar charts, drawn on the server as SVG: no JavaScript, the same on the page and
in the PDF. Each chart has role="img", a <title> and <desc>, and is always shown next to a
table of the same numbers (reporting/templates/reporting/includes/bar_chart.html)."""

from dataclasses import dataclass, field

from reporting.indicators import SUPPRESSED

LABEL_WIDTH = 230
BAR_WIDTH = 380
VALUE_WIDTH = 60
ROW_HEIGHT = 30
BAR_HEIGHT = 20


@dataclass
class Bar:
    label: str
    value: int | str
    url: str = ""
    width: int = 0
    y: int = 0

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    value_heading: str = "Number"
    bars: list[Bar] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(ROW_HEIGHT, ROW_HEIGHT * len(self.bars)) + 10

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def bar_x(self) -> int:
        return LABEL_WIDTH


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[tuple],
    *,
    description: str = "",
    value_heading: str = "Number",
) -> BarChart:
    """rows: (label, value) or (label, value, url). A suppressed value ('<5') draws no bar."""
    numbers = [r[1] for r in rows if isinstance(r[1], int | float)]
    top = max(numbers, default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        label, value = row[0], row[1]
        url = row[2] if len(row) > 2 else ""
        width = (
            0
            if value == SUPPRESSED or not isinstance(value, int | float) or not value
            else max(2, int(BAR_WIDTH * value / top))
        )
        bars.append(
            Bar(label=str(label), value=value, url=url, width=width, y=5 + index * ROW_HEIGHT)
        )
    summary = "; ".join(f"{b.label}: {b.value}" for b in bars) or "No data"
    return BarChart(
        id=chart_id,
        title=title,
        description=description or f"Bar chart. {summary}.",
        value_heading=value_heading,
        bars=bars,
    )
