class DomainError(Exception):
    """A business rule said no. Pages show it as an error message; the API as a 400."""


class InvalidTransition(DomainError):
    """A status change that is not allowed from the record's current state."""


class EditConflict(DomainError):
    """Someone else saved the record since this editor loaded it (optimistic locking)."""


class RestrictedRecord(DomainError):
    """The record is in the user's scope but restricted to named people: the page says whom
    to contact, the API answers 403."""

    def __init__(self, contact: str):
        super().__init__(contact)
        self.contact = contact or "your team manager"


class FieldError(DomainError):
    """A business rule said no about one input: pages show it next to that field, the API
    as a 400 keyed by the field's name."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class FieldErrors(DomainError):
    """Business rules said no about several inputs at once ({field: message}): pages show each
    next to its field, the API a 400 naming each, so the user corrects them all in one go."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(str(message) for message in errors.values()))
        self.errors = errors


def by_field(error: DomainError) -> dict[str | None, str]:
    """A refusal's messages by the field each is about (None: about no one field)."""
    errors = getattr(error, "errors", None)
    return dict(errors) if errors else {getattr(error, "field", None): str(error)}
