"""What WeasyPrint may load while it lays out the report: the product's own static files and data: URLs, nothing else.

The report's HTML is made from staff texts and participants' replies; template escaping keeps their markup out, and
this fetcher is the second wall: no file of the machine outside the static folders, no http(s) request to the network
or to a service on the server's own loopback, whatever a resource URL in the HTML says. Kept apart from pdf.py
because importing WeasyPrint loads Pango, which only the rendering needs.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse


def static_roots() -> list[Path]:
    """The folders the report may load from: the source static files and the collected ones."""
    return [Path(folder).resolve() for folder in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]]


class StaticFilesOnly(URLFetcher):
    def __init__(self) -> None:
        # No redirects to follow, no network protocol: only file: (checked below) and data: URLs reach super().
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"the report loads only its own static files, not {scheme or 'a relative'} URLs")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in static_roots()) or not path.is_file():
            raise ValueError("the report loads only its own static files")
        return super().fetch(path.as_uri(), headers)
