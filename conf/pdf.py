"""Print the single-page edition of the book to PDF with WeasyPrint.

    python conf/pdf.py build/html/en/single/index.html build/pdf/affine-backprop-en.pdf

What is printed is the book itself: the page's article, with the stylesheets of its content
(code colours, cells, exercises, equations) and ``_static/print.css`` for the paper; the site's
navigation and theme are left out (the theme's stylesheets also made WeasyPrint take many
minutes). Equations stay vector (the page's inline SVG), fonts are embedded, and the text,
Japanese included, can be searched and copied. Only ``file:`` and ``data:`` URLs are read.
"""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path

PRINT_CSS = Path(__file__).resolve().parent / "_static" / "print.css"
#: The stylesheets that style the book's content rather than the site around it.
CONTENT_CSS = ("pygments.css", "mystnb.", "togglebutton.css", "exercise.css", "book.css")
NESTED_SVG = re.compile(r'(<svg data-(?:table|labels)="true")')


def printable(page: str) -> str:
    """The article of the single page ``page`` (HTML) in a bare document, in its language."""
    language = re.search(r'<html[^>]* lang="([^"]+)"', page)
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    start, end = page.find('<article class="bd-article"'), page.rfind("</article>")
    if language is None or title is None or start < 0 or end < start:
        raise ValueError("not a single page of this book: no language, title or article")
    article = page[start : end + len("</article>")]
    links = [
        link
        for link in re.findall(r'<link rel="stylesheet"[^>]*>', page)
        if any(name in link for name in CONTENT_CSS)
    ]
    # The paper's stylesheet comes last, as the page's own: it overrides the site's rules for
    # the same elements (given to render() it would be a user stylesheet, which they override).
    links.append(f'<link rel="stylesheet" href="{PRINT_CSS.as_uri()}">')
    # MathJax places an equation's body and its tags in nested <svg>s, one unit wide, that
    # fill the outer one and overflow it; WeasyPrint needs that said (Chromium assumes it).
    article = NESTED_SVG.sub(r'\1 width="100%" height="100%" overflow="visible"', article)
    return (
        f'<!DOCTYPE html>\n<html lang="{language[1]}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title[1].strip()}</title>\n{''.join(links)}\n</head>\n"
        f"<body>\n{article}\n</body>\n</html>\n"
    )


def make_pdf(index: Path, pdf: Path) -> int:
    """Write ``pdf`` from the single page ``index``; return its number of pages."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    if not index.is_file():
        raise FileNotFoundError(f"no single-page edition at {index}: build it with -b singlehtml")
    local_only = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    source = printable(index.read_text(encoding="utf-8"))
    document = HTML(string=source, base_url=index.resolve().as_uri(), url_fetcher=local_only)
    rendered = document.render()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    title = re.search(r"<title>(.*?)</title>", source, re.S)
    rendered.metadata.title = html.unescape(title[1]) if title else None
    rendered.write_pdf(pdf)
    return len(rendered.pages)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    index, pdf = Path(argv[0]), Path(argv[1])
    start = time.perf_counter()
    pages = make_pdf(index, pdf)
    seconds = time.perf_counter() - start
    print(f"{pdf}: {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB, {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
