"""Every built page in headless Chromium, opened from disk with the network cut off.

For each page of both editions: no request leaves ``file:``/``data:``, no page error and no
console error; every equation is an SVG of non-zero size whose glyph references all resolve
inside it and draw; no raw TeX or MathJax markup is left; every image loads and has alt text;
pages with code cells show their outputs; a full-page screenshot goes to ``screenshots/``.
The search page finds "Affine" from ``file://``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from browser.conftest import INSPECT, TIMEOUT_MS, Visit

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
