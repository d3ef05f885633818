"""Documents a family can read: the assessment, the family plan and a review record, as
accessible PDFs (PDF/UA-1: tagged, real text, language, title, real headings).

WeasyPrint may fetch only our own static files: anything else (http, data from other
paths) is refused, so a value typed into a record can never make the server fetch a URL.
Fonts: Liberation Sans (fonts-liberation), embedded by WeasyPrint.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticOnlyFetcher(URLFetcher):
    """Fetches file:// URLs inside our static folders and nothing else."""

    def fetch(self, url, headers=None):
        from urllib.parse import unquote, urlparse

        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Refused to fetch {parsed.scheme or 'relative'} URL in a PDF")
        path = Path(unquote(parsed.path)).resolve()
        roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
        if not any(path.is_relative_to(root) for root in roots):
            raise ValueError("Refused to fetch a file outside the static folders in a PDF")
        return super().fetch(url, headers)


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template (extending assessments/pdf/base.html) to PDF/UA-1 bytes."""
    context = {"authority_name": settings.AUTHORITY_NAME, **context}
    html = render_to_string(template, context)
    static_root = Path(settings.STATICFILES_DIRS[0]).resolve()
    document = HTML(
        string=html, base_url=static_root.as_uri() + "/", url_fetcher=StaticOnlyFetcher()
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")
