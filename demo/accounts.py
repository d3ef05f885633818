"""Demo sign-ins: every demo account has the shared demo password and a confirmed
authenticator with the shared demo key (demo/synthetic.py), so anyone trying the demo can
sign in as any of them with one authenticator entry."""

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import synthetic as demo
from partners.models import User


def demo_account(
    email, full_name, role, agency, districts, *, job_title, password=None, **extra
) -> User:
    """`password`: the demo password already hashed, for a loader making many accounts
    (hashing is slow on purpose); hashed here otherwise."""
    user = User.objects.create(
        email=email,
        full_name=full_name,
        role=role,
        agency=agency,
        password=password or make_password(demo.DEMO_PASSWORD),
        job_title=job_title,
        **extra,
    )
    user.districts.set(districts)
    TOTPDevice.objects.create(
        user=user, name="Demo authenticator", confirmed=True, key=demo.DEMO_TOTP_KEY_HEX
    )
    return user
