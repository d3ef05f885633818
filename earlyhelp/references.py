"""How people quote a record: a short prefix and its six-digit number (EH-000042 for a
case, RFS-000012 for a request for support), the same on every page that shows it."""


class Referenced:
    """A model whose rows people know by a reference (`reference_prefix`: "EH"). A row not
    saved yet is "EH-new"."""

    reference_prefix = ""

    @property
    def reference(self) -> str:
        if not self.pk:
            return f"{self.reference_prefix}-new"
        return f"{self.reference_prefix}-{self.pk:06d}"
