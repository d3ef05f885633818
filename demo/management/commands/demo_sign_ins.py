from django.core.management.base import BaseCommand

from demo import synthetic as demo
from earlyhelp.models import ApiScope, ServiceAccount
from partners import service_accounts
from partners.doors import LOAD_EDUCATION_PERMISSION
from partners.models import User

DEMO_TOKEN_DAYS = 7


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
            # The job says what the account is for ("Programme team", "Family hub manager");
            # several share a role that only sets what they may see.
            job = f"{user.job_title} ({user.get_role_display().lower()})"
            self.stdout.write(f"  {user.email:<26} {job:<58} {user.agency or ''}")
        import base64

        secret = base64.b32encode(bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)).decode()
        self.stdout.write(
            f"\nTwo-factor: add the key {secret} to any authenticator app, or run "
            f"`make demo-code` for the current code (now {current}).\n"
        )
        self._api_tokens()

    def _api_tokens(self):
        """A fresh token for each demo partner system, so the API can be tried at once (the
        demo's only; a real one is issued with issue_api_token and shown once)."""
        accounts = ServiceAccount.objects.select_related("user").order_by("pk")
        if not accounts:
            return
        self.stdout.write(
            f"API tokens for the demo's partner systems (new each run, {DEMO_TOKEN_DAYS} "
            "days), sent as `Authorization: Token <key>` to /api/v1/:"
        )
        for account in accounts:
            sends = account.user.has_perm(LOAD_EDUCATION_PERMISSION)
            scope = ApiScope.READ_WRITE if sends else ApiScope.READ
            _token, key = service_accounts.api_token_issue(
                account=account, acting_user=None, scope=scope, days=DEMO_TOKEN_DAYS
            )
            self.stdout.write(f"  {account.system_name} ({scope}): {key}")
        self.stdout.write("")
