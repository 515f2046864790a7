"""Every built page in headless Chromium, opened from disk with the network cut off.

For each page of both editions: no request leaves ``file:``/``data:``, no page error and no
console error; every equation is an SVG of non-zero size whose glyph references all resolve
inside it and draw; no raw TeX or MathJax markup is left; every image loads and has alt text;
pages with code cells show their outputs; a full-page screenshot goes to ``screenshots/``.
The search page finds "Affine" from ``file://``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
ARTICLE_NUMBERS = {
    "eq-1": "(1)",
    "eq-2": "(2)",
    "eq-3": "(3)",
    "eq-3p": "(3\u2032)",
    "eq-4": "(4)",
    "eq-4p": "(4\u2032)",
    "eq-5": "(5)",
    "eq-6": "(6)",
    "eq-7": "(7)",
    "eq-8": "(8)",
    "eq-8p": "(8\u2032)",
}

#: Runs in the page after "load" (bounded waits for fonts, images, frames), returns a report.
INSPECT = (Path(__file__).parent / "inspect_page.js").read_text(encoding="utf-8")


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
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
    """A page opened from disk, with every non-file request aborted and every error recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
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


def test_page(
    browser: Any,
    site: dict[str, Path],
    page: tuple[str, Path],
    build_dir: Path,
    render_times: dict[str, float],
) -> None:
    _, path = page
    visit = Visit(browser)
    try:
        start = time.perf_counter()
        visit.page.goto(path.as_uri(), wait_until="load")
        report = visit.page.evaluate(INSPECT, TIMEOUT_MS)
        where = path.relative_to(build_dir / "html")  # en/x.html, ja/single/index.html, ...
        render_times[where.as_posix()] = report["renderedMs"] / 1000
        shot = build_dir / "screenshots" / where.with_suffix(".png")
        shot.parent.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(shot), full_page=True, timeout=TIMEOUT_MS)
        wall = time.perf_counter() - start
    finally:
        visit.close()

    failures = [f"request that left the disk: {url}" for url in visit.remote]
    failures += visit.errors + report["problems"]
    for label, shown in report["numbers"].items():
        if shown.startswith("(hidden)"):
            failures.append(f"equation number of {label} not shown")
        elif label in ARTICLE_NUMBERS and shown != ARTICLE_NUMBERS[label]:
            failures.append(
                f"{label} shown as {shown}, the article numbers it {ARTICLE_NUMBERS[label]}"
            )
    if wall > 60:
        failures.append(f"took {wall:.0f} s")
    assert not failures, "\n".join(failures)


def test_every_article_number_is_shown(browser: Any, site: dict[str, Path], edition: str) -> None:
    """(1) … (8′) are all on the pages of the edition (the numbers the article prints)."""
    shown: dict[str, str] = {}
    visit = Visit(browser)
    try:
        for path in sorted(site[edition].glob("*.html")):
            visit.page.goto(path.as_uri(), wait_until="load")
            shown.update(visit.page.evaluate(INSPECT, TIMEOUT_MS)["numbers"])
    finally:
        visit.close()
    expected = {label: number for label, number in ARTICLE_NUMBERS.items()}
    assert {label: shown.get(label) for label in expected} == expected


def test_search_finds_affine_from_disk(browser: Any, site: dict[str, Path]) -> None:
    visit = Visit(browser)
    try:
        visit.page.goto((site["html"] / "search.html").as_uri() + "?q=Affine", wait_until="load")
        results = visit.page.locator("#search-results ul.search li")
        results.first.wait_for(state="attached", timeout=TIMEOUT_MS)
        count = results.count()
        summary = visit.page.locator("#search-results p.search-summary").inner_text()
    finally:
        visit.close()
    assert count > 0, summary
    assert not visit.remote and not visit.errors, (visit.remote, visit.errors)
