"""One way to change a status, shared by every status machine (STYLE.md, "Status changes go
through transitions"; ADR 0014).

Each app declares its machine next to its verbs:

    CASE = Machine(
        "case",
        model=EarlyHelpCase,
        history=CaseStatusChange,
        moves={"allocate": Move((S.AWAITING_ALLOCATION,), S.OPEN, "allocated"), ...},
        final=(S.CLOSED,),
    )

and a service calls `CASE.move(case, "allocate", acting_user=..., reason=..., **fields)`.
The move is a conditional UPDATE on (pk, status in the allowed from-states[, version]): if
someone else moved the record since it was loaded, nothing is written and EditConflict says
so (two managers allocating one case: one wins, the other is told who did). A move from a
state the verb does not allow raises InvalidTransition. Every move appends a row to the
machine's history table (who, when, from, to, verb, why); the audit trail stays separate
and is written by the calling service.

The history tables are one per app, each with a real foreign key to its record
(StatusHistory below is their abstract base): see ADR 0014 for why not one generic table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

from earlyhelp.errors import EditConflict, InvalidTransition

MACHINES: dict[str, "Machine"] = {}


class StatusHistory(models.Model):
    """Abstract base of every status history table: product data, read by features (the
    case page, timeliness indicators); the audit trail is separate."""

    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    verb = models.CharField(max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status} ({self.verb})"


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str | None  # None keeps the status (a move that changes who, not where)
    past: str  # "allocated": for the message when the move is not allowed


@dataclass
class Machine:
    name: str
    model: type[models.Model]
    history: type[models.Model]
    moves: dict[str, Move]
    final: tuple[str, ...] = ()
    status_field: str = "status"
    version_field: str | None = None
    # Writes the history row; the default fills StatusHistory's fields plus the record FK.
    write_history: Callable | None = None
    # The history table's foreign key to the record: by default its one FK to `model`.
    history_fk: str = ""
    noun: str = ""
    # Who won a race, for the EditConflict message: callable(record fresh from the db) -> str
    who_changed: Callable | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        MACHINES[self.name] = self
        self.noun = self.noun or self.model._meta.verbose_name
        self.history_fk = self.history_fk or self._record_fk()

    def _record_fk(self) -> str:
        """The one foreign key from the history table to the record (ADR 0014)."""
        (name,) = (
            f.name
            for f in self.history._meta.fields
            if isinstance(f, models.ForeignKey) and f.related_model is self.model
        )
        return name

    # --- questions ---

    @property
    def statuses(self) -> list[str]:
        return [value for value, _ in self.model._meta.get_field(self.status_field).choices]

    def allowed(self, record, verb: str) -> bool:
        return getattr(record, self.status_field) in self.moves[verb].sources

    def verbs_from(self, status: str) -> list[str]:
        """Verbs that move a record on from `status` (to another status)."""
        return [
            verb
            for verb, move in self.moves.items()
            if status in move.sources and move.target not in (None, status)
        ]

    def check(self, record, verb: str) -> None:
        if not self.allowed(record, verb):
            raise InvalidTransition(self._refusal(record, verb))

    def _refusal(self, record, verb: str) -> str:
        label = getattr(record, f"get_{self.status_field}_display")().lower()
        return f"This {self.noun} is {label}, so it cannot be {self.moves[verb].past} now."

    # --- the move ---

    def move(
        self,
        record,
        verb: str,
        *,
        acting_user,
        reason: str = "",
        expected_version: int | None = None,
        message: str = "",
        **fields,
    ):
        """Move `record` by `verb` (the caller holds the transaction). Returns the record,
        refreshed. `fields` are written in the same UPDATE."""
        move = self.moves[verb]
        from_status = getattr(record, self.status_field)
        if from_status not in move.sources:
            raise InvalidTransition(message or self._refusal(record, verb))
        to_status = move.target or from_status
        updates = {self.status_field: to_status, **fields}
        query = self.model.objects.filter(
            pk=record.pk, **{f"{self.status_field}__in": move.sources}
        )
        if self.version_field:
            version = (
                getattr(record, self.version_field)
                if expected_version is None
                else expected_version
            )
            query = query.filter(**{self.version_field: version})
            updates[self.version_field] = F(self.version_field) + 1
        if query.update(**updates) != 1:
            current = self.model.objects.get(pk=record.pk)
            state = getattr(current, f"get_{self.status_field}_display")().lower()
            who = (self.who_changed or self._last_mover)(current)
            raise EditConflict(
                f"{who} changed this {self.noun} while you were working on it (it is now "
                f"{state}). Nothing you entered has been saved over their work."
            )
        record.refresh_from_db()
        writer = self.write_history or self._write_history
        writer(record, from_status, to_status, verb, acting_user, reason)
        return record

    def start(self, record, *, acting_user, reason: str = ""):
        """The first history row of a new record: from nothing to its first status."""
        writer = self.write_history or self._write_history
        writer(record, "", getattr(record, self.status_field), "create", acting_user, reason)

    def history_of(self, record):
        return self.history.objects.filter(**{self.history_fk: record}).order_by("at", "pk")

    def _last_mover(self, record) -> str:
        last = self.history_of(record).select_related("by").last()
        return last.by.full_name if last is not None else "Someone else"

    def _write_history(self, record, from_status, to_status, verb, acting_user, reason):
        self.history.objects.create(
            **{self.history_fk: record},
            from_status=from_status,
            to_status=to_status,
            verb=verb,
            by=acting_user,
            reason=reason or "",
        )
