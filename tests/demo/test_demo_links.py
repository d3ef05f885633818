"""No link leads nowhere: as each demo role, every page reachable by links from home, one
of each kind of page (a case page, a claim), opens. A link to a page the user may not open
(a 403 or 404) is a defect an outside tester meets at once."""

import re
from collections import deque

from django.core.management import call_command

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


def test_every_link_each_role_is_shown_opens(db, client):
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
    assert broken == []
