"""A recording page's form sent twice, as a browser resends it: the page is shown once
(with its one-time token) and the same POST goes twice (earlyhelp.pages)."""

import re

ALREADY_SAVED = "That was already saved. It has not been saved again."


def token_on(client, url: str) -> str:
    """The one-time token of the form `url` shows (there must be exactly one)."""
    page = client.get(url).content.decode()
    tokens = re.findall(r'name="once" value="([0-9a-f-]{36})"', page)
    assert len(tokens) == 1, f"{url} shows {len(tokens)} one-time tokens"
    return tokens[0]


def send_twice(client, url: str, data: dict):
    """The form on `url` sent twice with one token: the two answers, the second followed
    to the page it went to."""
    data = {**data, "once": token_on(client, url)}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second


def told_already_saved(first, second) -> bool:
    """The second answer went where the first did and said plainly it was already saved."""
    went = second.redirect_chain[0][0] if second.redirect_chain else None
    return (
        first.status_code == 302 and went == first.url and ALREADY_SAVED in second.content.decode()
    )
