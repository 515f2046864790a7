"""Unique ids inside sphinx-exercise's boxes.

sphinx-exercise wraps the body of every exercise and solution in a section with the fixed id
``exercise-content`` or ``solution-content``, so a page with two exercises repeats an id. Each
body takes the id of its box instead, with ``-content`` appended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

FIXED_IDS = {"exercise-content", "solution-content"}


def unique_body_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rename every fixed body id after the exercise or solution that holds it."""
    for section in doctree.findall(nodes.section):
        if not FIXED_IDS.intersection(section["ids"]):
            continue
        box_ids = section.parent.get("ids", []) if section.parent is not None else []
        section["ids"] = [f"{box_ids[0]}-content"] if box_ids else []


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_exercise")
    # before single_page, which makes ids unique across the pages of the single-page edition
    app.connect("doctree-resolved", unique_body_ids, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
