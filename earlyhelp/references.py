"""How people quote a record: a short prefix and its six-digit number (EH-000042 for a
case, RFS-000012 for a request for support), the same on every page that shows it."""


class Referenced:
    """A model whose rows people know by a reference (`reference_prefix`: "EH"). A row not
    saved yet is "EH-new"."""

    reference_prefix = ""

    @classmethod
    def reference_for(cls, pk: int | None) -> str:
        """The reference of the row with this id, for lists that read ids, not rows."""
        return f"{cls.reference_prefix}-{pk:06d}" if pk else f"{cls.reference_prefix}-new"

    @property
    def reference(self) -> str:
        return self.reference_for(self.pk)
