"""The text of every email the product sends, in one place.

Each function takes plain values and returns (subject, body). No email names a family or a
child (DESIGN.md: sensitive data): it says what kind of thing happened and links to it, and
the link applies the access rules when it is opened.
"""

from django.conf import settings

from earlyhelp.wording import term

FOOTER = "This email contains no personal details. Do not reply to it."


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else settings.SITE_URL


def notification_email(*, subject: str, url: str) -> tuple[str, str]:
    """A link-only email for an in-app notification (reminders, triage outcomes, audits)."""
    return (
        f"{term('Early help')}: {subject}",
        f"{subject}\n\nSign in to see the details: {_link(url)}\n\n{FOOTER}",
    )


def digest_email(*, total: int, counts: dict[str, int], url: str) -> tuple[str, str]:
    """The daily digest: how many reminders of which stage, never which family."""
    lines = "\n".join(f"- {label}: {n}" for label, n in counts.items())
    return (
        f"{term('Early help')}: your daily reminders ({total})",
        f"You have {total} new reminder{'s' if total != 1 else ''}:\n{lines}\n\n"
        f"Sign in to see them: {_link(url)}\n\n{FOOTER}",
    )


def referrer_outcome_email(*, reference: str, outcome: str) -> tuple[str, str]:
    """To a referrer without an account: the reference and the outcome only."""
    return (
        f"Your request for support {reference}",
        f"The {term('early help')} front door has made a decision on request {reference}: "
        f"{outcome}.\n\n"
        "Someone will contact you if anything more is needed. If a child is at risk of "
        f"significant harm, call the safeguarding line now: {settings.SAFEGUARDING_PHONE}."
        f"\n\n{FOOTER}",
    )
