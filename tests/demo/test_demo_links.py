"""No link leads nowhere: as each demo role, every page reachable by links from home, one
of each kind of page (a case page, a claim), opens; and so does the link in every
notification and email, for the person it is sent to. A link to a page its reader may not
open (a 403 or 404) is a defect an outside tester meets at once."""

import re
from collections import deque
from urllib.parse import urlsplit

from django.core.management import call_command

from earlyhelp.models import Notification
from earlyhelp.outbox.models import OutboxMessage
from partners.models import User
from tests.conftest import signed_in

ROLES = [
    "practitioner",
    "teacher",
    "frontdoor",
    "manager",
    "schoolmanager",
    "consultant",
    "strategic",
    "admin",
    "socialcare",
    "outcomes",
    "audit",
    "hubmanager",
    "directory",
    "hubworker",
]
# Not pages to read: signing out ends the walk; files are checked where they are made.
NOT_PAGES = re.compile(r"sign-out|/static/|/admin/|/export|download|\.pdf$|\.csv$|/api/")


def kind_of_page(path: str) -> str:
    """/cases/12/plan/ and /cases/40/plan/ are the same kind of page; the query is dropped."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def test_every_link_in_the_demo_opens_for_its_reader(db, client):
    call_command("load_demo_county", families=40, verbosity=0)
    broken = []
    for role in ROLES:
        client.logout()
        signed_in(client, User.objects.get(email=f"{role}@demo.test"))
        kinds, queue = {"/"}, deque([("/", "")])
        while queue:
            path, found_on = queue.popleft()
            response = client.get(path)
            if response.status_code in (301, 302) or "html" not in response["Content-Type"]:
                continue
            if response.status_code != 200:
                broken.append(f"{role}: {path} ({response.status_code}) linked from {found_on}")
                continue
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if not NOT_PAGES.search(href) and kind_of_page(href) not in kinds:
                    kinds.add(kind_of_page(href))
                    queue.append((href, path))
        assert len(kinds) > 3, role  # the walk went somewhere

    sent = [(n.user, n.url) for n in Notification.objects.exclude(url="").select_related("user")]
    for email in OutboxMessage.objects.exclude(recipient=None).select_related("recipient"):
        sent += [(email.recipient, url) for url in re.findall(r"https?://\S+", email.body)]
    assert len(sent) > 20
    for reader, url in sent:
        client.logout()
        signed_in(client, reader)
        path = urlsplit(url).path or "/"
        status = client.get(path).status_code
        if status not in (200, 302):
            broken.append(f"{reader.email}: {path} ({status}) sent to them")
    assert broken == []
