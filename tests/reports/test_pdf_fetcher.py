"""WeasyPrint loads the product's own static files and data: URLs only: no other file, no http(s) request."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from weasyprint import HTML

from reports.pdf import html_to_pdf
from reports.pdf_fetcher import StaticFilesOnly
from tests.helpers import ROOT

SMALL_PAGE = "@page { size: 50mm 50mm; margin: 0 }"


@pytest.fixture
def static_dir(settings, tmp_path) -> Path:
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "small.css").write_text(SMALL_PAGE)
    settings.STATICFILES_DIRS = [folder]
    settings.STATIC_ROOT = tmp_path / "collected"
    return folder


@pytest.fixture
def web_server():
    """A server on the loopback that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(SMALL_PAGE.encode())

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _page_width_mm(html: str) -> float:
    document = HTML(string=html, base_url=None, url_fetcher=StaticFilesOnly()).render()
    return round(document.pages[0].width * 25.4 / 96)


def _with_stylesheet(url: str) -> str:
    return f'<html><head><link rel="stylesheet" href="{url}"></head><body><p>Report</p></body></html>'


def test_the_products_static_files_load(static_dir):
    # The control: a stylesheet among the static files does change the page, so the refusals below are real.
    assert _page_width_mm(_with_stylesheet((static_dir / "small.css").as_uri())) == 50
    assert _page_width_mm(_with_stylesheet("data:text/css," + SMALL_PAGE.replace(" ", "%20"))) == 50


@pytest.mark.parametrize(
    "where",
    [
        lambda static, tmp: (tmp / "outside.css").as_uri(),
        lambda static, tmp: static.as_uri() + "/../outside.css",
        lambda static, tmp: "file://localhost" + str(tmp / "outside.css"),
        lambda static, tmp: "file://otherhost" + str(static / "small.css"),
    ],
)
def test_files_outside_the_static_folders_are_refused(static_dir, tmp_path, where):
    (tmp_path / "outside.css").write_text(SMALL_PAGE)
    assert _page_width_mm(_with_stylesheet(where(static_dir, tmp_path))) == 210  # A4: the stylesheet was not read


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", (ROOT / "rocbap" / "settings.py").as_uri(), "ftp://127.0.0.1/x.css", "x.css"]
)
def test_the_fetcher_refuses_every_other_url(static_dir, url):
    with pytest.raises(ValueError, match=r"only its own static files|disallowed|Not an absolute"):
        StaticFilesOnly().fetch(url)


def test_no_http_request_leaves_the_renderer(static_dir, web_server):
    base, hits = web_server
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body>'
        f'<img src="{base}/pixel.png"><img src="{base.replace("http:", "https:")}/pixel.png">'
        f'<p style="background: url({base}/background.png)">Report</p></body></html>'
    )
    assert _page_width_mm(html) == 210
    assert html_to_pdf(html).startswith(b"%PDF")
    assert hits == []
    # The control: the server does answer, so an empty list means nobody asked.
    import urllib.request

    assert urllib.request.urlopen(f"{base}/probe", timeout=5).status == 200
    assert hits == ["/probe"]
