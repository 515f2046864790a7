"""The single-page edition (``sphinx-build -b singlehtml``) with sphinx-book-theme.

* Sphinx 9 writes a reference to another page as ``#document-page#target``, a fragment that
  matches nothing; it becomes ``#target`` (every page is on the one page). Two pages may use
  the same id (a section title used twice): the later page's copy is renamed
  ``page-target``, and the references into that page follow it.
* The theme's sidebar builds its navigation from the current page's place in the toctree and
  comes out empty on the single page; it shows the book's toctree (``#document-…`` links)
  instead.
* Sphinx gives the single page no ``docstitle``: the sidebar showed "None"; it shows
  ``html_title``.

The template ``_templates/layout.html`` leaves search out of this edition (no search index).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def _by_page(node: nodes.Element, docname: str) -> Iterator[tuple[str, nodes.Element]]:
    """(page, element) for every element of the assembled book, in document order."""
    if isinstance(node, addnodes.start_of_file):
        docname = node["docname"]
    yield docname, node
    for child in node.children:
        if isinstance(child, nodes.Element):
            yield from _by_page(child, docname)


def fix_references(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Unique ids across pages; ``#document-page#target`` becomes ``#target``."""
    if app.builder.name != "singlehtml":
        return
    elements = list(_by_page(doctree, docname))
    owner: dict[str, str] = {}
    renamed: dict[tuple[str, str], str] = {}
    for page, element in elements:
        for index, node_id in enumerate(element.get("ids", [])):
            if owner.setdefault(node_id, page) != page:
                new_id = nodes.make_id(f"{page}-{node_id}")
                renamed[page, node_id] = new_id
                element["ids"][index] = new_id
    for page, reference in elements:
        if not isinstance(reference, nodes.reference):
            continue
        if "refid" in reference:
            reference["refid"] = renamed.get((page, reference["refid"]), reference["refid"])
            continue
        refuri = reference.get("refuri", "")
        if refuri.startswith("#document-") and "#" in refuri[1:]:
            target_page, target = refuri[len("#document-") :].split("#", 1)
            reference["refuri"] = "#" + renamed.get((target_page, target), target)


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


def html_visitors_for_single_page(app: Sphinx) -> None:
    """Give the single page every HTML visitor of a node that has none of its own.

    Sphinx looks up a node's visitors under the builder's name ("singlehtml") and falls back
    to its format ("html") only when no extension registered any "singlehtml" visitor. Once one
    has (sphinx-exercise does), nodes registered for "html" only (myst-nb's hidden cells) would
    have no visitor on the single page.
    """
    handlers = app.registry.translation_handlers
    if app.builder.name == "singlehtml" and "singlehtml" in handlers:
        for name, visitors in handlers.get("html", {}).items():
            handlers["singlehtml"].setdefault(name, visitors)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("builder-inited", html_visitors_for_single_page)
    app.connect("doctree-resolved", fix_references)
    # after pydata-sphinx-theme has put its own generate_toctree_html into the context
    app.connect("html-page-context", sidebar_from_toctree, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
