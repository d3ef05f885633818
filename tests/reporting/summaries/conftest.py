# The permission matrix's world (an actor for every role, cases in every situation).
from tests.access.conftest import world  # noqa: F401
