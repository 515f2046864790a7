"""Translated nodes belong to their page's doctree, so a pickled doctree holds only its page.

Sphinx translates a paragraph by parsing its ``msgstr`` into a small document of its own and
moving the resulting nodes into the page; each moved node keeps ``node.document`` pointing at
that small document, whose settings hold the whole build environment. Pickled with the page,
every translated page's doctree grew from ~80 kB to ~1 MB (the environment, again and again),
and reading them back made the Japanese single page three times slower to write. Here every
node of a page read points at the page's own document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def own_document(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall():
        if getattr(node, "document", doctree) is not doctree:
            node.document = doctree


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("doctree-read", own_document, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
