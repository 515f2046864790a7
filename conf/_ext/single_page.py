"""The single-page edition (``sphinx-build -b singlehtml``) with sphinx-book-theme.

* Sphinx 9 writes a reference to another page as ``#document-page#target``, a fragment that
  matches nothing; it becomes ``#target`` (every page is on the one page).
* The theme's sidebar builds its navigation from the current page's place in the toctree and
  comes out empty on the single page; it shows the book's toctree (``#document-…`` links)
  instead.
* Sphinx gives the single page no ``docstitle``: the sidebar showed "None"; it shows
  ``html_title``.

The template ``_templates/layout.html`` leaves search out of this edition (no search index).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def fix_references(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``#document-page#target`` becomes ``#target``."""
    if app.builder.name != "singlehtml":
        return
    for reference in doctree.findall(nodes.reference):
        refuri = reference.get("refuri", "")
        if refuri.startswith("#") and "#" in refuri[1:]:
            reference["refuri"] = "#" + refuri.rsplit("#", 1)[1]


def sidebar_from_toctree(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Give the theme the book's toctree for its sidebar, and the title."""
    if app.builder.name != "singlehtml":
        return
    context["docstitle"] = app.config.html_title
    toc = context.get("toc") or ""
    sidebar = toc.replace("<ul>", '<ul class="nav bd-sidenav">')

    def generate_toctree_html(kind: str, **kwargs: Any) -> str:
        return sidebar if kind == "sidebar" else ""

    context["generate_toctree_html"] = generate_toctree_html


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("doctree-resolved", fix_references)
    # after pydata-sphinx-theme has put its own generate_toctree_html into the context
    app.connect("html-page-context", sidebar_from_toctree, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
