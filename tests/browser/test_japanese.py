"""The Japanese edition in headless Chromium, from disk: search finds Japanese words, every
character is drawn with a real glyph.

Search splits Japanese into character pairs on both sides (``conf/_ext/ja_search.py``). It is
checked on a small Japanese book written here and built with the project's configuration, and
on the real edition (``build/html/ja``) when that has been built. A glyph is missing when the
character draws the same pixels as a code point no font has (``glyphs.js``); that this check
sees a missing font is itself checked, by a Chromium whose fontconfig hides every Japanese font.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser.conftest import (
    BUILD,
    CHROMIUM_ARGS,
    INSPECT,
    TIMEOUT_MS,
    Visit,
    chromium_path,
    sphinx_build,
)

HERE = Path(__file__).resolve().parent
GLYPHS = (HERE / "glyphs.js").read_text(encoding="utf-8")

SMALL_BOOK = {
    "index.md": "# 小さな本\n\n見本の本です。\n\n```{toctree}\n:hidden:\nbackprop\nnumerical\n```",
    "backprop.md": (
        "# 誤差逆伝播法\n\n誤差逆伝播法は、連鎖律によって損失の勾配を求めます。"
        "Affine レイヤでは、重みパラメータ $W$ の勾配を $\\partial L / \\partial W$ と書きます。\n"
    ),
    "numerical.md": "# 数値微分\n\n数値微分は、中心差分で勾配を近づけます。幅 h は小さく選びます。",
}
#: query -> the pages of SMALL_BOOK that hold it (every pair of its adjacent characters)
SMALL_BOOK_QUERIES = {
    "伝播": {"backprop"},
    "勾配": {"backprop", "numerical"},
    "数値微分": {"numerical"},
    "重みパラメータ": {"backprop"},
    "連鎖律": {"backprop"},
    "求めます": {"backprop"},
    "中心差分": {"numerical"},
    "affine": {"backprop"},
    "量子力学": set(),  # not in the book
    "猫": set(),  # not in the book
}
#: query -> a page of the real Japanese edition that must be among its results
EDITION_QUERIES = {"伝播": "backprop", "勾配": "derivation", "数値微分": "numerical"}
EDITION_ABSENT = "量子力学"

#: fontconfig that sees every font of the machine except those for Japanese
NO_JAPANESE_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="lang"><string>ja</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"""


@pytest.fixture(scope="session")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SMALL_BOOK built like the Japanese edition: ``-c conf -D language=ja``, strict."""
    root = tmp_path_factory.mktemp("small-ja-book")
    source = root / "source"
    source.mkdir()
    for name, text in SMALL_BOOK.items():
        (source / name).write_text(text, encoding="utf-8")
    out = root / "html"
    result = sphinx_build(source, out, "-D", "language=ja", "-b", "html")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def ja_edition(build_dir: Path) -> Path:
    """The built Japanese edition, ``build/html/ja``."""
    folder = build_dir / "html" / "ja"
    if not (folder / "index.html").is_file():
        pytest.skip(f"no Japanese edition in {folder}: `nox -s docs` builds it")
    return folder


def search(browser: Any, site: Path, query: str) -> tuple[set[str], list[str]]:
    """The pages that ``search.html?q=query`` lists, opened from disk; and what went wrong."""
    visit = Visit(browser)
    try:
        visit.page.goto(f"{(site / 'search.html').as_uri()}?q={quote(query)}", wait_until="load")
        # done: the heading "Searching…" loses its progress dots (the summary may stay empty)
        visit.page.wait_for_function(
            "(h => h !== null && !h.children.length)(document.querySelector('#search-results h2'))",
            timeout=TIMEOUT_MS,
        )
        hrefs = visit.page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
        )
    finally:
        visit.close()
    pages = {href.split("#", 1)[0].removesuffix(".html") for href in hrefs}
    return pages, visit.remote + visit.errors


def glyph_report(browser: Any, path: Path) -> dict[str, Any]:
    visit = Visit(browser)
    try:
        visit.page.goto(path.as_uri(), wait_until="load")
        visit.page.evaluate(INSPECT, TIMEOUT_MS)  # waits for fonts and images
        return visit.page.evaluate(GLYPHS)
    finally:
        visit.close()


def describe(missing: list[dict[str, str]]) -> str:
    shown = [
        f"{m.get('code', '')} {m['char']!r} in {m['font']!r}: …{m['context']}…" for m in missing
    ]
    return f"{len(missing)} characters without a glyph, e.g.\n" + "\n".join(shown[:10])


@pytest.mark.parametrize("query", SMALL_BOOK_QUERIES)
def test_search_small_book(browser: Any, small_book: Path, query: str) -> None:
    found, problems = search(browser, small_book, query)
    assert found == SMALL_BOOK_QUERIES[query], f"{query!r} found {sorted(found)}"
    assert not problems


@pytest.mark.parametrize("query", EDITION_QUERIES)
def test_search_japanese_edition(browser: Any, ja_edition: Path, query: str) -> None:
    found, problems = search(browser, ja_edition, query)
    assert EDITION_QUERIES[query] in found, f"{query!r} found {sorted(found)}"
    assert not problems


def test_search_japanese_edition_absent_term(browser: Any, ja_edition: Path) -> None:
    found, problems = search(browser, ja_edition, EDITION_ABSENT)
    assert found == set(), f"{EDITION_ABSENT!r} is not in the book, yet found {sorted(found)}"
    assert not problems


def test_every_character_has_a_glyph_small_book(browser: Any, small_book: Path) -> None:
    for path in sorted(small_book.glob("*.html")):
        report = glyph_report(browser, path)
        assert report["checked"] > 0
        assert not report["missing"], f"{path.name}: {describe(report['missing'])}"


def japanese_pages() -> list[str]:
    """Every page of the Japanese edition (its single page too), relative to the edition."""
    edition = BUILD / "html" / "ja"
    pages = [*sorted(edition.glob("*.html")), *sorted(edition.glob("single/*.html"))]
    return [page.relative_to(edition).as_posix() for page in pages]


@pytest.mark.parametrize("name", japanese_pages() or ["(not built)"])
def test_every_character_has_a_glyph(browser: Any, ja_edition: Path, name: str) -> None:
    report = glyph_report(browser, ja_edition / name)
    assert report["checked"] > 0
    assert not report["missing"], f"{name}: {describe(report['missing'])}"


def test_glyph_check_sees_a_missing_font(browser: Any, small_book: Path, tmp_path: Path) -> None:
    """With the Japanese fonts hidden from Chromium, the check reports the Japanese characters."""
    config = tmp_path / "fonts.conf"
    config.write_text(NO_JAPANESE_FONTS, encoding="utf-8")
    hidden = browser.browser_type.launch(
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
        timeout=TIMEOUT_MS,
    )
    try:
        report = glyph_report(hidden, small_book / "numerical.html")
    finally:
        hidden.close()
    missing = {m["char"] for m in report["missing"]}
    assert set("数値微分中心差分") <= missing, describe(report["missing"])
    assert not missing & set("Affineh0123456789"), describe(report["missing"])
