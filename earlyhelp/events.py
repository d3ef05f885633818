"""Named events that a service announces, for apps further down the line to act on.

`cases` and `assessments` must not import the apps that build on them (STYLE.md), yet
adding a TAF member or arranging a meeting has to tell people. The service calls
`emit("taf_member_added", member=...)` at the call site, where a reader sees it; handlers
registered in an AppConfig.ready() run at once, inside the caller's transaction, so what
they write (the notices owed) commits or rolls back with the change itself.
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[str, list[Callable]] = defaultdict(list)


def on(event: str, handler: Callable) -> Callable:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)
    return handler


def emit(event: str, **payload) -> list:
    return [handler(**payload) for handler in _handlers.get(event, ())]
