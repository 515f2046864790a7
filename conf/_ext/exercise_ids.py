"""sphinx-exercise's boxes with unique ids and translatable titles.

* **Ids.** sphinx-exercise wraps the body of every exercise and solution in a section with the
  fixed id ``exercise-content`` or ``solution-content``, so a page with two exercises repeats an
  id. Each body takes the id of its box instead, with ``-content`` appended.
* **Titles.** An exercise's title (the directive's argument) ends up in a title node that
  sphinx-exercise builds after the page is read, without a source, so the gettext builder does
  not extract it and a translation never reaches it. Here the title's text is wrapped, while the
  page is read, in an inline node marked translatable and carrying the title's source and line:
  the gettext builder extracts it, the Locale transform translates it, and the copy that
  sphinx-exercise keeps for the titles of solutions ("Solution to Exercise 7 (…)") is taken
  again after the translation.
* **Labels.** "Exercise" and "Solution to" come from sphinx-exercise's text domain
  ``exercise``. The book's own catalog of that domain, ``<locale_dirs>/<language>/LC_MESSAGES/
  exercise.po``, is loaded before sphinx-exercise's, so its words win (the Japanese edition
  says 演習問題, as its headings do); sphinx-exercise's catalog remains the fallback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import CatalogRepository
from sphinx_exercise.nodes import exercise_subtitle, is_exercise_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

FIXED_IDS = {"exercise-content", "solution-content"}
LABELS_DOMAIN = "exercise"  # sphinx-exercise's text domain (MESSAGE_CATALOG_NAME)


class TranslatableTitles(SphinxTransform):
    """Wrap each exercise title's text in an inline node that gettext extracts and translates."""

    default_priority = 15  # after sphinx-exercise merges gated exercises (10), before Locale (20)

    def apply(self, **kwargs: object) -> None:
        for subtitle in self.document.findall(exercise_subtitle):
            if any(isinstance(child, nodes.inline) for child in subtitle.children):
                continue  # wrapped already
            title = subtitle.parent
            text = nodes.inline(subtitle.rawsource or subtitle.astext(), "", translatable=True)
            text.source, text.line = title.source, title.line
            text.extend(subtitle.children[:])
            subtitle.children = []
            subtitle.append(text)


def keep_translated_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Give sphinx-exercise's copy of each exercise the title as read (translated, if so)."""
    registry = getattr(app.env, "sphinx_exercise_registry", {})
    for node in doctree.findall(is_exercise_node):
        entry = registry.get(node.get("label"))
        if entry is not None and entry["docname"] == app.env.docname:
            entry["node"].children[0] = node.children[0].deepcopy()


def add_label_catalog(app: Sphinx) -> None:
    """Load the book's catalog of sphinx-exercise's labels, compiled if its .mo is older."""
    repo = CatalogRepository(
        app.srcdir, app.config.locale_dirs, app.config.language, app.config.source_encoding
    )
    for catalog in repo.catalogs:
        if catalog.domain == LABELS_DOMAIN:
            if catalog.is_outdated():
                catalog.write_mo(app.config.language)
            app.add_message_catalog(LABELS_DOMAIN, catalog.base_dir.parent.parent)


def unique_body_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rename every fixed body id after the exercise or solution that holds it."""
    for section in doctree.findall(nodes.section):
        if not FIXED_IDS.intersection(section["ids"]):
            continue
        box_ids = section.parent.get("ids", []) if section.parent is not None else []
        section["ids"] = [f"{box_ids[0]}-content"] if box_ids else []


def setup(app: Sphinx) -> ExtensionMetadata:
    add_label_catalog(app)  # before sphinx-exercise adds its own: the first catalog wins
    app.setup_extension("sphinx_exercise")
    app.add_transform(TranslatableTitles)
    app.connect("doctree-read", keep_translated_titles)
    # before single_page, which makes ids unique across the pages of the single-page edition
    app.connect("doctree-resolved", unique_body_ids, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
