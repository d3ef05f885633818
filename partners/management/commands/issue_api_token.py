"""Issue an API token to a partner system's service account (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.errors import DomainError
from earlyhelp.models import ApiScope, ServiceAccount
from partners import service_accounts


class Command(BaseCommand):
    help = "Issue an API token to a service account: --account EMAIL [--scope read] [--days 90]"

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="the service account's email")
        parser.add_argument("--scope", default=ApiScope.READ, choices=ApiScope.values)
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, account, scope, days, **options):
        found = ServiceAccount.objects.filter(user__email__iexact=account).first()
        if found is None:
            raise CommandError(f"No service account with the email {account}.")
        try:
            token, key = service_accounts.api_token_issue(
                account=found, acting_user=None, scope=scope, days=days
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Token for {found} ({scope}, expires {token.expires_at:%Y-%m-%d}):")
        self.stdout.write(key)
        self.stdout.write("It is shown once; only its digest is kept.")
