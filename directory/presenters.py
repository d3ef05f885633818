"""Shapes directory figures for templates: the hub dashboard's reach table."""

from earlyhelp.small_numbers import suppress_linked

# The hub dashboard's columns, in the order the template shows them.
REACH_COUNTS = (
    "families_registered",
    "families_registered_in_period",
    "families_reached",
    "children_reached",
    "adults_reached",
    "sessions",
    "group_sessions",
    "group_people",
    "parenting_sessions",
    "parenting_people",
)


def _percent(part: int, whole: int, suppressed: bool):
    if not whole or (suppressed and (0 < part < 5 or whole < 5)):
        return None
    return round(100 * part / whole)


def hub_reach_table(reach: list, *, suppressed: bool) -> dict:
    """{rows: [(hub, {column: figure})], totals: {column: figure}}, small numbers suppressed
    for viewers who must not see them."""
    # Each column adds up to the totals row: suppressed together, so that no '<5' can be
    # worked out from the total and the other hubs (issue 17, point 8). The families reached
    # in deprived areas are not shown as a count, but their percentage would give them away:
    # it is shown only where that count would be.
    linked = (*REACH_COUNTS, "families_reached_deprived")
    values = {(i, name): getattr(r, name) for i, r in enumerate(reach) for name in linked}
    values |= {("total", name): sum(getattr(r, name) for r in reach) for name in linked}
    if suppressed:
        sums = [(("total", n), [(i, n) for i in range(len(reach))]) for n in linked]
        values = suppress_linked(values, sums, zero_is_small=False)

    def shown(key) -> dict:
        figures = {name: values[(key, name)] for name in REACH_COUNTS}
        part, whole = values[(key, "families_reached_deprived")], values[(key, "families_reached")]
        figures["deprived_percent"] = (
            _percent(part, whole, suppressed)
            if isinstance(part, int) and isinstance(whole, int)
            else None
        )
        return figures

    return {
        "rows": [(r.hub, shown(i)) for i, r in enumerate(reach)],
        "totals": shown("total"),
    }
