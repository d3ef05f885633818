"""django_otp's middleware, with the signed-in user's authenticator app read more cheaply.

Every request reads the device the session was verified with (django_otp checks it still
exists, is confirmed and belongs to the user). For the authenticator apps (TOTP), which is
every device here, that read is compiled to SQL once per process (earlyhelp/compiled.py);
any other kind of device is read as django_otp reads it. django_otp's checks are unchanged.
"""

from django.db import router
from django_otp import middleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.compiled import CompiledRead

_COLUMNS = [f.attname for f in TOTPDevice._meta.concrete_fields]
_TOTP_DEVICE = CompiledRead(
    lambda pk: TOTPDevice.objects.filter(pk=pk).values_list(*_COLUMNS),
    pk=-2_147_483_001,  # an id no device has, within django_otp's 32-bit ids
)


class OTPMiddleware(middleware.OTPMiddleware):
    def _device_from_persistent_id(self, persistent_id: str):
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTPDevice.model_label() or not device_id.isdecimal():
            return super()._device_from_persistent_id(persistent_id)
        row = _TOTP_DEVICE.first(pk=int(device_id))
        if row is None:
            return None
        return TOTPDevice.from_db(router.db_for_read(TOTPDevice), _COLUMNS, row)
