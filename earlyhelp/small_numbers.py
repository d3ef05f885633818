"""Small-number suppression shared by every page and export that shows counts to
aggregate-only viewers (reporting dashboards and exports, the outcomes cohort dashboard, the
family hub dashboard): issue 17, point 8."""

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"
# Secondary suppression: a figure of 5 or more hidden so that a '<5' beside it cannot be
# worked out by subtraction from a total on the same page or export ("[c]": confidential,
# as the Government Statistical Service marks it).
SECONDARY_SUPPRESSED = "[c]"
HIDDEN_VALUES = (SUPPRESSED, SECONDARY_SUPPRESSED)


def suppress_linked(values: dict, sums, *, zero_is_small: bool = True) -> dict:
    """suppress_group for a table whose cells add up across rows AND columns, to totals shown
    on the same page: `values` {cell key: count}; `sums` [(total key, [member keys])], one per
    row, column or sub-total (a key in several sums links them).

    Primary: each count under 5 ('<5'; from 1 to 4 when not `zero_is_small`). Secondary, until
    nothing changes: in each sum, a single hidden cell (the total minus the rest rebuilds it),
    or hidden members adding up to under 5 beside a shown total, hide the smallest shown
    member too (the total when no member is left), as '[c]'."""
    low = 0 if zero_is_small else 1
    hidden = {k for k, v in values.items() if low <= v < SUPPRESSION_THRESHOLD}
    shown = {k: SUPPRESSED if k in hidden else v for k, v in values.items()}
    sums = [(total, list(members)) for total, members in sums]
    changed = True
    while changed:
        changed = False
        for total, members in sums:
            cells = [*members, total]
            unknown = [k for k in cells if k in hidden]
            if not unknown:
                continue
            hidden_sum = sum(values[k] for k in members if k in hidden)
            if len(unknown) >= 2 and (total in hidden or hidden_sum >= SUPPRESSION_THRESHOLD):
                continue
            rest = [k for k in members if k not in hidden] or [k for k in cells if k not in hidden]
            if not rest:
                continue
            smallest = min(rest, key=lambda k: (values[k], str(k)))
            hidden.add(smallest)
            shown[smallest] = SECONDARY_SUPPRESSED
            changed = True
    return shown
