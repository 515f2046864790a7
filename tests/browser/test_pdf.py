"""The PDF of each edition (``nox -s pdf``, conf/pdf.py): fonts embedded, text that can be
searched and copied (Japanese included), a sane number of pages, equations drawn as vector paths
(the only images are the book's figures), and a link to it from every page of its edition.

Run by the pdf session (which installs pypdf); elsewhere skipped. ``language`` is "en" and
"ja" (conftest.py).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pypdf = pytest.importorskip("pypdf", reason="the pdf session (`nox -s pdf`) runs these tests")

from browser.conftest import BUILD  # noqa: E402  (where the editions are)

CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


class SinglePage(HTMLParser):
    """What the article of a single page holds: headings' text, chapters, images, equations."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.chapters = self.equations = 0
        self.images: set[str] = set()  # the files shown by <img>
        self._heading: list[str] | None = None
        self._hidden = 0  # depth inside a heading's permalink or an equation
        page = path.read_text(encoding="utf-8")
        self.feed(page[page.find('<article class="bd-article"') : page.rfind("</article>")])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.chapters += tag == "span" and values.get("id", "").startswith("document-")
        if tag == "img":
            self.images.add(values.get("src", ""))
        self.equations += tag == "svg" and values.get("role") == "img"
        if tag in {"h1", "h2", "h3"}:
            self._heading = []
        elif self._hidden or (tag == "a" and "headerlink" in values.get("class", "")):
            self._hidden += 1
        elif tag == "svg":
            self._hidden = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3"} and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None
        elif self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._heading is not None and not self._hidden:
            self._heading.append(data)


def squeeze(text: str) -> str:
    """``text`` as compatibility characters (ligatures undone), without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@functools.cache
def pdf(language: str) -> Any:
    path = BUILD / "pdf" / f"affine-backprop-{language}.pdf"
    if not path.is_file():
        pytest.fail(f"{path} is missing: `nox -s pdf` makes it")
    return pypdf.PdfReader(path)


@functools.cache
def text(language: str) -> str:
    """The text of the whole PDF as poppler's pdftotext gets it (as a reader copies it)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        message = "pdftotext not found: apt-get install poppler-utils (Debian)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    path = BUILD / "pdf" / f"affine-backprop-{language}.pdf"
    command = [pdftotext, "-enc", "UTF-8", str(path), "-"]
    return squeeze(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


@functools.cache
def single_page(language: str) -> SinglePage:
    return SinglePage(BUILD / "html" / language / "single" / "index.html")


def fonts(page: Any) -> dict[str, Any]:
    """Name -> font dictionary of every font a page uses, also inside its form XObjects."""
    found: dict[str, Any] = {}
    pending = [page.get("/Resources")]
    while pending:
        resources = pending.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font.get("/BaseFont"))] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources"))
    return found


def drawn(page: Any) -> tuple[set[int], int]:
    """(raster images, number of filled paths) a page draws, also inside its form XObjects."""
    images: set[int] = set()
    fills = 0
    pending = [(page.get("/Resources"), page.get_contents())]
    while pending:
        resources, content = pending.pop()
        if content is not None:
            fills += len(re.findall(rb"\sf\*?(?=\s)", content.get_data()))
        xobjects = (resources.get_object().get("/XObject") if resources else None) or {}
        for reference in xobjects.values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                images.add(reference.idnum)
            elif xobject.get("/Subtype") == "/Form":
                pending.append((xobject.get("/Resources"), xobject))
    return images, fills


def test_every_font_is_embedded(language: str) -> None:
    missing = set()
    for page in pdf(language).pages:
        for name, font in fonts(page).items():
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = (described.get("/FontDescriptor") or {}).get_object() or {}
            if font.get("/Subtype") != "/Type3" and not any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                missing.add(name)
    assert not missing, f"fonts not embedded: {sorted(missing)}"


def test_every_heading_can_be_found_in_the_text(language: str) -> None:
    headings = single_page(language).headings
    assert headings
    lost = [h for h in headings if squeeze(h) not in text(language)]
    assert not lost, f"{len(lost)} of {len(headings)} headings not in the PDF's text: {lost[:5]}"


def test_japanese_text_can_be_copied() -> None:
    japanese = [h for h in single_page("ja").headings if CJK.search(h)]
    if not japanese:
        pytest.skip("the Japanese edition has no Japanese heading yet (untranslated)")
    found = [h for h in japanese if squeeze(h) in text("ja")]
    assert found == japanese


def test_page_count_is_sane(language: str) -> None:
    """Each chapter starts a page; no chapter takes more than 30 pages."""
    chapters = single_page(language).chapters
    pages = len(pdf(language).pages)
    assert chapters <= pages <= 30 * chapters, (chapters, pages)


def test_equations_are_vector(language: str) -> None:
    """The only raster images are the figures of the pages; equations are filled paths."""
    images: set[int] = set()
    fills = 0
    for page in pdf(language).pages:
        page_images, page_fills = drawn(page)
        images |= page_images
        fills += page_fills
    html = single_page(language)
    assert len(images) <= len(html.images), f"{len(images)} images, {len(html.images)} figures"
    assert fills >= html.equations > 0, f"{fills} filled paths for {html.equations} equations"


def test_every_page_links_the_pdf(language: str) -> None:
    edition = BUILD / "html" / language
    assert (edition / "affine-backprop.pdf").read_bytes() == (
        BUILD / "pdf" / f"affine-backprop-{language}.pdf"
    ).read_bytes()
    # every page but the search page, which the theme lays out without the article's frame
    pages = [*sorted(edition.glob("*.html")), edition / "single" / "index.html"]
    pages = [page for page in pages if page.name != "search.html"]
    unlinked = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'<p class="book-pdf"><a href="([^"]+)"', html)
        if len(hrefs) != 1 or (page.parent / hrefs[0]).resolve() != edition / "affine-backprop.pdf":
            unlinked.append(page.name)
    assert not unlinked, f"pages without the link to the PDF: {unlinked}"
