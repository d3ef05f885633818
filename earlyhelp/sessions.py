"""Sessions in the database, as Django keeps them, saved more cheaply.

Every request saves the session (SESSION_SAVE_EVERY_REQUEST: the idle sign-out counts from
the last request). Django saves an existing session inside a transaction (BEGIN, UPDATE,
COMMIT: three round trips); one UPDATE is atomic on its own, so it is sent alone. A session
that has gone (signed out elsewhere, expired and cleared) is an UpdateError, as in Django.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import router


class SessionStore(db.SessionStore):
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
