from django.core.management.base import BaseCommand

from demo import synthetic as demo
from partners.models import User


class Command(BaseCommand):
    help = "Print the demo sign-ins and the current two-factor code for demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--code", action="store_true", help="print only the current code")

    def handle(self, *args, code=False, **options):
        current = demo.current_code()
        if code:
            self.stdout.write(current)
            return
        users = (
            User.objects.filter(email__endswith="@demo.test")
            .exclude(email__startswith="worker")
            .select_related("agency")
            .order_by("role", "email")
        )
        self.stdout.write(f"\nDemo sign-ins (password for all: {demo.DEMO_PASSWORD})")
        for user in users:
            role = user.get_role_display()
            self.stdout.write(f"  {user.email:<26} {role:<22} {user.agency or ''}")
        import base64

        secret = base64.b32encode(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).decode()
        self.stdout.write(
            f"\nTwo-factor: add the key {secret} to any authenticator app, or run "
            f"`make demo-code` for the current code (now {current}).\n"
        )
