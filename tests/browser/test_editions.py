"""Two languages side by side: a front page, twin links that work from disk, one archive.

``build/html/index.html`` links both languages; every page of each edition links the same page
in the other language with a relative link; both editions show the same executed outputs (the
Japanese edition reuses the English execution); the archive holds both.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from browser.conftest import BUILD, LANGUAGES

TWIN = re.compile(r'<a class="btn btn-sm language-twin" href="([^"]+)" hreflang="(\w+)"')


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]


def test_front_page_links_every_edition() -> None:
    front = BUILD / "html" / "index.html"
    assert front.is_file(), f"{front} is missing: `nox -s docs` writes it"
    links = Links()
    links.feed(front.read_text(encoding="utf-8"))
    expected = {f"{lang}/index.html" for lang in LANGUAGES}
    expected |= {f"{lang}/single/index.html" for lang in LANGUAGES}
    assert set(links.hrefs) == expected
    assert all((front.parent / href).is_file() for href in links.hrefs)


def test_every_page_links_its_twin(language: str, page: tuple[str, Path]) -> None:
    """The twin link is relative, points at the other language and at the same page."""
    _, path = page
    html = path.read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in html
    found = TWIN.search(html)
    assert found, f"{path}: no link to the other language"
    href, twin = found.groups()
    assert twin != language and twin in LANGUAGES
    assert not href.startswith(("/", "http:", "https:", "file:"))
    target = (path.parent / href).resolve()
    assert target.is_file(), f"{path}: {href} leads nowhere"
    mirror = Path(*(twin if part == language else part for part in path.parts))
    assert target == mirror.resolve()


def test_both_languages_show_the_same_executed_outputs() -> None:
    """Code outputs are not translated: the same cells print the same text in both."""

    def outputs(language: str) -> list[str]:
        page = (BUILD / "html" / language / "batch.html").read_text(encoding="utf-8")
        return re.findall(
            r'<div class="output stream highlight-myst-ansi[^>]*>(.*?)</div>', page, re.S
        )

    english = outputs("en")
    assert english, "no printed output on the batch page"
    assert outputs("ja") == english


def test_archive_holds_both_languages() -> None:
    archive = BUILD / "affine-backprop-html.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
    for language in LANGUAGES:
        assert f"affine-backprop-html/{language}/index.html" in names
        assert f"affine-backprop-html/{language}/single/index.html" in names
    assert "affine-backprop-html/index.html" in names
