"""Sessions in the database, as Django keeps them, read and saved more cheaply.

Every request reads the session, and saves it (SESSION_SAVE_EVERY_REQUEST: the idle sign-out
counts from the last request). The read is Django's query compiled once per process
(earlyhelp/compiled.py). Django saves an existing session inside a transaction (BEGIN,
UPDATE, COMMIT: three round trips); one UPDATE is atomic on its own, so it is sent alone. A
session that has gone (signed out elsewhere, expired and cleared) is an UpdateError, as in
Django.
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
        .values_list("session_data")
    ),
    key="\x00session key",
    now=datetime.datetime(1900, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The session if it has not expired (a record with its data only, as load() reads
        it); None, forgetting the key, as Django does, if it has."""
        row = _SESSION_DATA.first(key=self.session_key, now=timezone.now())
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0])

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        updated = (
            self.model.objects.using(router.db_for_write(self.model))
            .filter(session_key=self.session_key)
            .update(
                session_data=self.encode(self._get_session()), expire_date=self.get_expiry_date()
            )
        )
        if not updated:
            raise UpdateError
