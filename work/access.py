"""Which parts of the work tray each role gets (issue 14: "a work tray for each role").

The door to the tray is SIGNED_IN (partners/doors.py); what fills it is decided here, the
one place the tray names roles."""

from dataclasses import dataclass

from partners import doors
from partners.models import Role


@dataclass(frozen=True)
class TrayParts:
    items: tuple[str, ...] = ()  # work lists, by name (work/tray.py ITEM_SOURCES)
    figures: str = ""  # "triage" (the queue against its targets), "districts", or none


_PARTS = {
    Role.PRACTITIONER: TrayParts(items=("lead",)),
    Role.TEAM_MANAGER: TrayParts(items=("manager", "lead")),
    Role.FRONT_DOOR: TrayParts(items=("front_door", "lead"), figures="triage"),
    Role.CONSULTANT: TrayParts(items=("consultant",)),
    Role.STRATEGIC: TrayParts(figures="districts"),
    Role.ADMINISTRATOR: TrayParts(items=("administrator",)),
}


def tray_parts_for(user) -> TrayParts:
    return _PARTS.get(user.role, TrayParts())


def sees_supervision_indicator(user) -> bool:
    return doors.MANAGERS.allows(user)


def tray_names_cases(user) -> bool:
    """Strategic viewers and administrators see no case references on their tray."""
    return user.role not in (Role.STRATEGIC, Role.ADMINISTRATOR)
