"""Static checks of the built site: equation numbers, references, ids, links, downloads."""

from __future__ import annotations

import functools
import json
import re
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

ARTICLE_NUMBERS = {
    "eq-1": "1",
    "eq-2": "2",
    "eq-3": "3",
    "eq-3p": "3\u2032",
    "eq-4": "4",
    "eq-4p": "4\u2032",
    "eq-5": "5",
    "eq-6": "6",
    "eq-7": "7",
    "eq-8": "8",
    "eq-8p": "8\u2032",
}
BASEURL = "https://affine-backprop.readthedocs.io/en/latest/"
ARCHIVE = "affine-backprop-html.zip"

EQUATION = re.compile(
    r'<div class="math[^"]*" id="equation-([^"]+)">.*?<span class="eqno">\(([^<]*)\)', re.S
)
REFERENCE = re.compile(
    r'<a class="reference internal" href="([^"]*#equation-[^"]+)"[^>]*>(.*?)</a>'
)


class Page(HTMLParser):
    """The ids of a page and every URL it links to or loads."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.ids: list[str] = []
        self.urls: list[tuple[str, str]] = []  # (what, url)
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "link" and set(values.get("rel", "").split()) & {"canonical", "search", "index"}:
            return  # describe the page, load nothing (singlehtml has no search or index page)
        for name in ("href", "src"):
            if name in values and tag in {"a", "img", "script", "link", "iframe", "source"}:
                self.urls.append((f"<{tag} {name}>", values[name]))


@functools.cache
def parse(path: Path) -> Page:
    return Page(path)


def equations(text: str) -> dict[str, str]:
    return dict(EQUATION.findall(text))


@functools.cache
def site_equations(folder: Path) -> dict[str, tuple[str, str]]:
    """label -> (page, number shown) over every page of an edition."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.html")):
        for label, number in equations(path.read_text(encoding="utf-8")).items():
            found[label] = (path.name, number)
    return found


def test_article_equations_show_the_article_numbers(site, edition: str) -> None:
    shown = site_equations(site[edition])
    wrong = {
        label: shown[label]
        for label, number in ARTICLE_NUMBERS.items()
        if label in shown and shown[label][1] != number
    }
    assert not wrong, f"article equations with the wrong number: {wrong}"


def test_every_article_equation_is_in_the_book(site, edition: str) -> None:
    defined = site_equations(site[edition])
    missing = [label for label in ARTICLE_NUMBERS if label not in defined]
    assert not missing, f"labels of the article's equations not defined by any page: {missing}"


def test_other_equations_are_numbered_from_9_in_reading_order(site) -> None:
    # the single page holds the whole book in reading order
    text = (site["singlehtml"] / "index.html").read_text(encoding="utf-8")
    automatic = [n for label, n in EQUATION.findall(text) if label not in ARTICLE_NUMBERS]
    assert automatic == [str(9 + i) for i in range(len(automatic))]
    # and the multi-page edition shows the same numbers
    single = {label: n for label, n in EQUATION.findall(text)}
    pages = {label: n for label, (_, n) in site_equations(site["html"]).items()}
    assert pages == single


def test_equation_references_show_the_number(site, page: tuple[str, Path]) -> None:
    edition, path = page
    shown = {label: number for label, (_, number) in site_equations(site[edition]).items()}
    wrong = []
    for href, text in REFERENCE.findall(path.read_text(encoding="utf-8")):
        label = href.rsplit("#equation-", 1)[1]
        if text != f"({shown.get(label)})":
            wrong.append((href, text, shown.get(label)))
    assert not wrong, f"references whose text is not the equation's number: {wrong}"


def test_ids_are_unique(site, page: tuple[str, Path]) -> None:
    counts = Counter(parse(page[1]).ids)
    assert not [i for i, n in counts.items() if n > 1]


def test_every_local_link_and_asset_resolves(site, page: tuple[str, Path]) -> None:
    parsed = parse(page[1])
    broken = []
    for what, url in parsed.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:")):
            continue  # remote (only ever plain links: the build rejects remote loads)
        target = (page[1].parent / unquote(parts.path)).resolve() if parts.path else page[1]
        if not target.is_file():
            broken.append(f"{what} {url}")
        elif parts.fragment and target.suffix == ".html":
            if parts.fragment not in parse(target).ids:
                broken.append(f"{what} {url} (no such id)")
    assert not broken, f"{len(broken)} broken: {broken[:20]}"


def test_no_mathjax(site, page: tuple[str, Path]) -> None:
    assert not [url for _, url in parse(page[1]).urls if "mathjax" in url.lower()]
    assert "MathJax.startup" not in page[1].read_text(encoding="utf-8")


def test_notebook_downloads_carry_the_outputs(site) -> None:
    html = site["html"]
    notebooks = sorted((html / "_sources").glob("*.ipynb"))
    assert notebooks, "no .ipynb downloads in _sources/"
    for path in notebooks:
        page = (html / path.name).with_suffix(".html").read_text(encoding="utf-8")
        assert f'href="_sources/{path.name}"' in page, f"{path.name}: no download button"
        assert f'href="_sources/{path.stem}.md"' in page, f"{path.stem}.md: no download button"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        if 'class="cell_output' in page:
            assert any(c.get("outputs") for c in code), f"{path.name} has no outputs"


def test_sitemap_lists_every_page(site, language: str) -> None:
    base = f"{BASEURL}{language}/"  # each language's site is published in its own folder
    root = ElementTree.parse(site["html"] / "sitemap.xml").getroot()
    urls = [loc.text or "" for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert urls and all(url.startswith(base) for url in urls)
    assert all((site["html"] / url.removeprefix(base)).is_file() for url in urls)
    assert f"{base}index.html" in urls
    assert not [
        url for url in urls if url.endswith(("/404.html", "/search.html", "/genindex.html"))
    ]


def test_404_page_exists_with_relative_links(site) -> None:
    page = parse(site["html"] / "404.html")
    assert any(what == "<a href>" and url == "index.html" for what, url in page.urls)


def test_archive_holds_the_site(site, build_dir: Path) -> None:
    archive_path = build_dir / ARCHIVE
    assert archive_path.is_file(), f"{archive_path} is missing: `nox -s docs` writes it"
    with zipfile.ZipFile(archive_path) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
    html = site["html"]
    files = {
        f"affine-backprop-html/{p.relative_to(html.parent).as_posix()}"  # en/..., ja/...
        for p in html.rglob("*")
        if p.is_file() and ".buildinfo" not in p.name
    }
    assert "affine-backprop-html/index.html" in names
    assert files <= names | {f for f in files if "/.doctrees/" in f}
