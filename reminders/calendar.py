"""The calendar file (.ics, RFC 5545) sent with every TAF meeting invitation, change and
cancellation, so the meeting lands in the member's own calendar.

Times are Europe/London wall-clock times with the zone's rules included (VTIMEZONE), so a
meeting booked for 10:00 stays at 10:00 across the clocks going back or forward. One UID
per meeting and a SEQUENCE that rises with each change let calendars replace the old entry;
a cancellation is METHOD:CANCEL with STATUS:CANCELLED. The summary names no family.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from earlyhelp.wording import term

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Early help case management//TAF meetings//EN"


def meeting_uid(meeting) -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "earlyhelp.local"
    return f"taf-meeting-{meeting.pk}@{host}"


def meeting_ics(meeting, *, cancelled: bool = False, description: str = "") -> bytes:
    """The calendar file for one meeting, as it stands (or its cancellation)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    event.add("summary", "Team Around the Family meeting")
    if meeting.starts_at is not None:
        start = datetime.datetime.combine(meeting.scheduled_for, meeting.starts_at, LONDON)
        event.add("dtstart", start)
        event.add("dtend", start + datetime.timedelta(minutes=meeting.duration_minutes))
    else:
        event.add("dtstart", meeting.scheduled_for)
        event.add("dtend", meeting.scheduled_for + datetime.timedelta(days=1))
    if meeting.location:
        event.add("location", meeting.location)
    if description:
        event.add("description", description)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(term("Early help"))
    event["organizer"] = organizer
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
