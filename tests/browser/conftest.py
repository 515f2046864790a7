"""The built site, checked from disk: statically (test_site.py) and in Chromium (test_pages.py).

Every test that drives Chromium takes the session's one ``browser`` (one Playwright driver
for the whole run: its synchronous API cannot share a thread with a second driver or with
another asyncio loop, such as a Jupyter kernel client's) and opens pages with :class:`Visit`.

These tests read a finished build (``build/html/<language>`` and its single page
``build/html/<language>/single``, for English and Japanese, or the same under
``$BOOK_BUILD_DIR``); every test that takes ``site`` or ``page`` runs for both languages.
``nox -s browser`` builds the book first and runs them with
``pytest tests/browser --confcutdir tests/browser``. They are collected only when this folder
(or a file in it) is named on the command line, so the unit-test run (``pytest tests``) leaves
them out and needs neither a built site nor playwright.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = Path(os.environ.get("BOOK_BUILD_DIR", ROOT / "build")).resolve()
LANGUAGES = ("en", "ja")
CONF = ROOT / "conf"  # the project's Sphinx configuration, for the small books built here
#: What makes a page of those small books a text notebook (myst-nb executes its cells).
NOTEBOOK_FRONT_MATTER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {name: python3, display_name: Python 3, language: python}
---
"""


def sphinx_build(source: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Build ``source`` into ``out`` with the project's configuration, strictly (``-n -W``)."""
    command = [sys.executable, "-m", "sphinx", "-q", "-c", str(CONF), "-n", "-W", "--keep-going"]
    return subprocess.run(
        [*command, *options, str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def editions(language: str) -> dict[str, Path]:
    """The folders of a language's two editions: the site and the single page."""
    return {"html": BUILD / "html" / language, "singlehtml": BUILD / "html" / language / "single"}


EDITIONS = editions("en")  # the names of the editions (the same for every language)
SCREENSHOTS = BUILD / "screenshots"

RENDER_TIMES = pytest.StashKey[dict[str, float]]()


def _named(config: pytest.Config) -> bool:
    for arg in config.args:
        path = Path(arg.split("::", 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    inside = HERE in collection_path.resolve().parents
    if inside and collection_path.suffix == ".py" and not _named(config):
        return True
    return None


def built_pages() -> list[tuple[str, str, Path]]:
    """(language, edition, path) of every HTML page of every edition, in a stable order."""
    return [
        (language, edition, path)
        for language in LANGUAGES
        for edition, folder in editions(language).items()
        for path in sorted(folder.glob("*.html"))
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``page``: every built page (with its ``language``); ``language``: "en" and "ja";
    ``edition``: "html" and "singlehtml"."""
    if "page" in metafunc.fixturenames:
        pages = built_pages()
        ids = [f"{language}/{edition}/{path.name}" for language, edition, path in pages]
        values = [(language, (edition, path)) for language, edition, path in pages]
        metafunc.parametrize(("language", "page"), values, ids=ids)
    elif "language" in metafunc.fixturenames:
        metafunc.parametrize("language", LANGUAGES)
    if "edition" in metafunc.fixturenames:
        metafunc.parametrize("edition", list(EDITIONS))


@pytest.fixture(scope="session")
def build_dir() -> Path:
    return BUILD


@pytest.fixture(scope="session")
def render_times(pytestconfig: pytest.Config) -> dict[str, float]:
    """Seconds to a fully rendered page, per page; summed up at the end of the run."""
    return pytestconfig.stash.setdefault(RENDER_TIMES, {})


@pytest.fixture
def site(language: str) -> dict[str, Path]:
    """The folders of both editions of ``language``; fails when the book has not been built."""
    folders = editions(language)
    missing = [str(folder) for folder in folders.values() if not (folder / "index.html").is_file()]
    if missing:
        pytest.fail(f"no built book in {', '.join(missing)}: run `nox -s docs` first")
    return folders


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
#: Runs in the page after "load" (bounded waits for fonts, images, frames), returns a report.
INSPECT = (HERE / "inspect_page.js").read_text(encoding="utf-8")


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), driven by the run's one Playwright instance."""
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium not found at /usr/bin/chromium or on PATH: apt-get install chromium (Debian)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        yield browser
        browser.close()


class Visit:
    """A page opened from disk, with every non-file request aborted and every error recorded.

    ``context`` options (``viewport``, ``device_scale_factor``, ...) go to the new context.
    """

    def __init__(self, browser: Any, **context: Any) -> None:
        context.setdefault("viewport", {"width": 1280, "height": 900})
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("console", self._console)
        self.page.on("websocket", lambda ws: self.remote.append(ws.url))
        self.page.on("requestfailed", self._failed)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.remote.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def _failed(self, request: Any) -> None:
        if request.url.startswith("file:"):
            self.errors.append(f"failed to load {request.url}: {request.failure}")

    def close(self) -> None:
        self.context.close()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """The slowest page of each edition: seconds from navigation to fonts, images, two frames."""
    render_times = config.stash.get(RENDER_TIMES, {})  # keys: en/x.html, en/single/index.html
    for language, edition in ((lang, ed) for lang in LANGUAGES for ed in EDITIONS):
        single = edition == "singlehtml"
        times = {
            page: t
            for page, t in render_times.items()
            if page.startswith(f"{language}/") and page.startswith(f"{language}/single/") == single
        }
        if times:
            slowest = max(times, key=times.__getitem__)
            terminalreporter.write_line(
                f"render time in headless Chromium, {language} {edition}: {len(times)} pages, "
                f"slowest "
                f"{slowest} {times[slowest] * 1000:.0f} ms, "
                f"mean {sum(times.values()) / len(times) * 1000:.0f} ms"
            )
    if render_times:
        terminalreporter.write_line(f"screenshots: {SCREENSHOTS}")
