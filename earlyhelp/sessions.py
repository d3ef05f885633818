"""Sessions in the database, as Django keeps them, read and saved more cheaply.

Every request reads the session, and saves it (SESSION_SAVE_EVERY_REQUEST: the idle sign-out
counts from the last request) unless nothing changed but the idle clock and that by less than
TOUCH_SECONDS: most requests then write nothing (an UPDATE, its commit and a dead row fewer
on nearly every page). The idle clock is therefore kept to the minute: the pages count down
from the idle time less that minute (config/context_processors.py), so the warning's "stay
signed in" always comes before the session ends. The read is Django's query compiled once per
process (earlyhelp/compiled.py). Django saves an existing session inside a transaction
(BEGIN, UPDATE, COMMIT: three round trips); one UPDATE is atomic on its own, so it is sent
alone. A session that has gone (signed out elsewhere, expired and cleared) is an
UpdateError, as in Django.
"""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import router
from django.utils import timezone

from earlyhelp.compiled import CompiledRead

_SESSION_DATA = CompiledRead(
    lambda key, now: (
        db.SessionStore.get_model_class()
        .objects.filter(session_key=key, expire_date__gt=now)
        .values_list("session_data", "expire_date")
    ),
    key="\x00session key",
    now=datetime.datetime(1900, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
)


# The idle clock moves on only when a request comes this long after it was last moved.
TOUCH_SECONDS = 60


class SessionStore(db.SessionStore):
    _stored_expiry = None  # the expiry read with the session, while it is unchanged

    def _get_session_from_db(self):
        """The session if it has not expired (a record with its data and expiry, as load()
        reads it); None, forgetting the key, as Django does, if it has."""
        row = _SESSION_DATA.first(key=self.session_key, now=timezone.now())
        if row is None:
            self._session_key = None
            return None
        self._stored_expiry = row[1]
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        expiry = self.get_expiry_date()
        stored = self._stored_expiry
        unchanged = not self.modified and stored is not None
        if unchanged and expiry - stored < datetime.timedelta(seconds=TOUCH_SECONDS):
            return  # nothing changed but the idle clock, by less than a minute
        updated = (
            self.model.objects.using(router.db_for_write(self.model))
            .filter(session_key=self.session_key)
            .update(session_data=self.encode(self._get_session()), expire_date=expiry)
        )
        if not updated:
            raise UpdateError
        self._stored_expiry = expiry
