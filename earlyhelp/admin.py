"""Admin building blocks every app may use (the kernel imports nothing above it)."""


class NeverChangedHere:
    """Nothing is added, changed or deleted through this admin page or inline: changes go
    through the pages and their services, so history and audit stay whole."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
