"""Translated pages keep what a notebook page has: glued values and translated display math.

Sphinx translates a page after parsing it: each translated paragraph is parsed again, on its own,
into a fresh document. Two things are lost on the way, and this extension gives them back.

* **Glue.** myst-nb looks a ``{glue:text}`` key up in the notebook renderer it stores on the
  document while the page is parsed, and removes it at the end of the parse; a translated
  paragraph, parsed later into a fresh document, finds none ("No key … found in glue data").
  Here the renderer of the page being read is kept until the page's doctree is complete, and a
  glue lookup from a translated paragraph of that page is answered from it: the same executed
  values in every language.
* **Display math.** Sphinx hands a translated math block to the parser as an indented
  reStructuredText literal (``::``), which the MyST parser reads as text. Here math blocks are
  translated first, by replacing their TeX with the catalog's, so that labels such as
  ``\\text{…}`` can be in the page's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from myst_nb import sphinx_ as nb_sphinx
from myst_nb.ext.glue import directives as glue_directives
from myst_nb.ext.glue import roles as glue_roles
from myst_nb.ext.glue import utils as glue_utils
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: docname -> the notebook renderer of that page, from its parse until its doctree is read.
_renderers: dict[str, Any] = {}


class _KeepRenderer(dict):
    """Document attributes that remember the renderer myst-nb pops at the end of its parse."""

    def __init__(self, attributes: dict, docname: str) -> None:
        super().__init__(attributes)
        self.docname = docname

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        if key == "nb_renderer":
            _renderers[self.docname] = value
        return value


_parse = nb_sphinx.Parser.parse


def _parse_keeping_renderer(self: nb_sphinx.Parser, inputstring: str, document: Any) -> None:
    env = getattr(document.settings, "env", None) or self.env
    if not document.current_source.endswith("<translated>"):
        document.attributes = _KeepRenderer(document.attributes, env.docname)
    _parse(self, inputstring, document)


_retrieve = glue_utils.retrieve_glue_data


def _retrieve_for_translation(document: nodes.document, key: str) -> Any:
    """myst-nb's glue lookup; a translated paragraph asks the renderer of its page."""
    env = getattr(document.settings, "env", None)
    if "nb_renderer" not in document and env is not None:
        renderer = _renderers.get(env.docname)
        if renderer is not None:
            document["nb_renderer"] = renderer
            try:
                return _retrieve(document, key)
            finally:
                del document["nb_renderer"]
    return _retrieve(document, key)


def _forget_renderer(app: Sphinx, doctree: nodes.document) -> None:
    _renderers.pop(app.env.docname, None)


class TranslateMathBlocks(SphinxTransform):
    """Replace the TeX of each display math block by its translation, before `Locale` runs."""

    default_priority = 19  # sphinx.transforms.i18n.Locale is 20

    def apply(self, **kwargs: Any) -> None:
        if not self.config.language or self.config.language == "en":
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [self.env.srcdir / d for d in self.config.locale_dirs]
        catalog, has_catalog = init_locale(dirs, self.config.language, domain)
        if not has_catalog:
            return
        for node in self.document.findall(nodes.math_block):
            source = node.rawsource or node.astext()  # the msgid, as Sphinx extracts it
            translated = catalog.gettext(source)
            if translated and translated != source:
                node.rawsource = translated
                node.children = [nodes.Text(translated)]
                node["translatable"] = False  # done: Locale leaves it alone


#: myst-nb's buttons on collapsed code cells, per language (English is myst-nb's default).
CODE_PROMPTS = {"ja": ("コードを表示", "コードを隠す")}  # the book hides only cell inputs


def _code_prompts(app: Sphinx, config: Any) -> None:
    if config.language in CODE_PROMPTS:
        config.nb_code_prompt_show, config.nb_code_prompt_hide = CODE_PROMPTS[config.language]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", _code_prompts)
    nb_sphinx.Parser.parse = _parse_keeping_renderer
    glue_roles.retrieve_glue_data = _retrieve_for_translation
    glue_directives.retrieve_glue_data = _retrieve_for_translation
    app.connect("doctree-read", _forget_renderer)
    app.add_transform(TranslateMathBlocks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
