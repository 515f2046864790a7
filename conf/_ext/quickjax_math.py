r"""Render every equation to inline SVG at build time with quickjax (MathJax 4 under QuickJS).

A Sphinx HTML math renderer, like :mod:`sphinx.ext.imgmath`: the built pages carry the
equations as ``<svg role="img" aria-label="TeX">`` and load no MathJax at all.

* Display math is wrapped the way MyST's ``$$ … $$`` needs: text that already holds a
  ``\begin{…}`` is left alone; text with ``\\`` and no environment is wrapped in ``aligned``
  (Sphinx's ``split`` would nest badly inside ``align*``); blank-line separated parts are
  stacked in one ``aligned``.
* The number of a labelled equation comes from the math domain (:mod:`article_numbers`) and is
  drawn beside the equation; a labelled equation whose TeX has ``\tag`` would be numbered twice
  and fails the build.
* A TeX error (MathJax's ``merror`` or an undefined macro, which quickjax shows in red instead
  of raising) is a Sphinx warning, so ``-W`` fails the build.
* Each distinct TeX is rendered once per build process (memoised), and the memo is kept
  beside the doctrees (``quickjax-memo.pickle``) for the next build, keyed on the quickjax
  version and this module's source: a rebuild renders only new TeX.
* The SVGs carry no ids. quickjax renders with ``fontCache: "local"``: each SVG defines its
  glyphs in ``<defs>`` under ids such as ``MJX-12-MM-I-1D465`` and draws them with ``<use>``.
  The same equation twice on a page, or a heading's equation that the theme repeats in its
  table of contents, would repeat those ids and draw glyphs from another SVG. So every ``<use>``
  becomes the ``<path>`` it points to (what MathJax's ``fontCache: "none"`` writes), and the
  ids of tags (``mjx-eqn:1``) are dropped: any copy of any SVG draws on its own.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import pickle
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

_DEFS = re.compile(r"<defs>(.*?)</defs>|<defs/>", re.S)
_GLYPH = re.compile(r'<path id="([^"]+)" d="([^"]*)"\s*/>')
_USE = re.compile(r"<use ([^>]*?)\s*/>")
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_NOISE = re.compile(r' (?:data-latex|data-latex-item|data-mml-node|data-c|id)="[^"]*"')
_MJX_ERROR = re.compile(r'data-mjx-error="([^"]*)"')
_UNDEFINED = re.compile(
    r'<g data-mml-node="mtext" fill="red" stroke="red"(?: data-latex="([^"]*)")?'
)
_TAG = re.compile(r"\\tag\b")


@dataclass
class _Stats:
    nodes: int = 0
    renders: int = 0
    seconds: float = 0.0
    cache: dict[tuple[str, bool], tuple[str, str | None]] = field(default_factory=dict)


_stats = _Stats()
_renderer = None


def without_ids(svg: str) -> str:
    """Each ``<use href="#glyph">`` replaced by the glyph's ``<path>``; no ``<defs>``, no ids."""
    glyphs: dict[str, str] = {}
    for defs in _DEFS.finditer(svg):
        glyphs.update(_GLYPH.findall(defs.group(1) or ""))

    def inline(use: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(use.group(1)))
        glyph = attributes.pop("xlink:href", attributes.pop("href", "")).removeprefix("#")
        if glyph not in glyphs:
            raise ValueError(f"glyph {glyph!r} is not defined in the SVG")
        extra = "".join(f' {k}="{v}"' for k, v in attributes.items() if k != "data-c")
        return f'<path d="{glyphs[glyph]}"{extra}/>'

    svg = _USE.sub(inline, _DEFS.sub("", svg))
    svg = _NOISE.sub("", svg).replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    if 'href="#' in svg or "url(#" in svg:
        raise ValueError("the SVG still refers to an id")
    return svg


def _render(tex: str, display: bool) -> tuple[str, str | None]:
    """SVG (with an id slot) and an error message or None; memoised per (TeX, display)."""
    key = (tex, display)
    if key in _stats.cache:
        return _stats.cache[key]
    global _renderer
    import quickjax

    start = time.perf_counter()
    if _renderer is None:
        _renderer = quickjax.MathJaxRenderer()
    try:
        svg = _renderer.render(tex, display=display)
    except quickjax.MathJaxRenderError as exc:
        result: tuple[str, str | None] = ("", str(exc))
    else:
        error = None
        if found := _MJX_ERROR.search(svg):
            error = html.unescape(found.group(1))
        elif found := _UNDEFINED.search(svg):
            what = html.unescape(found.group(1) or "")
            error = f"undefined control sequence {what}".rstrip()
        try:
            svg = without_ids(svg)
        except ValueError as exc:
            error = error or str(exc)
        result = (svg, error)
    _stats.renders += 1
    _stats.seconds += time.perf_counter() - start
    _stats.cache[key] = result
    return result


def _emit(self: HTML5Translator, node: nodes.Element, tex: str, display: bool) -> str:
    """The SVG markup for one math node, reporting a TeX error as a warning."""
    _stats.nodes += 1
    svg, error = _render(tex, display)
    if error is not None:
        kind = "display" if display else "inline"
        logger.warning(
            "TeX error in %s math %r: %s",
            kind,
            tex,
            error,
            location=node,
            type="quickjax",
            subtype="tex",
        )
    if not svg:
        return f'<code class="qjx-error">{self.encode(tex)}</code>'
    # the label is the author's TeX (before any wrapping): what a screen reader reads out
    label = html.escape(node.astext().strip(), quote=True)
    return svg.replace('role="img"', f'role="img" aria-label="{label}"', 1)


def display_tex(node: nodes.math_block) -> str:
    r"""The TeX handed to MathJax for a display block (see the module docstring)."""
    text = node.astext()
    if node.get("no-wrap", node.get("nowrap", False)):
        return text
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    parts = [
        rf"\begin{{aligned}}{part}\end{{aligned}}"
        if r"\\" in part and r"\begin{" not in part
        else part
        for part in parts
    ]
    if len(parts) > 1:
        return r"\begin{aligned}" + r" \\ ".join(parts) + r"\end{aligned}"
    return parts[0] if parts else ""


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Inline math: ``<span class="math"><svg …/></span>``."""
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_emit(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Display math: a centred SVG and, for a labelled equation, its number at the right."""
    tex = display_tex(node)
    label = node.get("label")
    number = None
    if label:
        domain = self.builder.env.domains["math"]
        number = domain.get_equation_number_for(label)
        if _TAG.search(tex):
            logger.warning(
                "equation %s has both a label and \\tag: it would be numbered twice. The label "
                "gives the number; drop the \\tag (or the label, in a restated equation)",
                label,
                location=node,
                type="quickjax",
                subtype="tag",
            )
    classes = "math notranslate nohighlight qjx-display"
    if number:
        classes += " qjx-numbered"
    self.body.append(self.starttag(node, "div", CLASS=classes))
    self.body.append(f'<span class="qjx-equation">{_emit(self, node, tex, display=True)}</span>')
    if number:
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _memo_file(app: Sphinx) -> tuple[Path, str]:
    """Where the memo is kept, and the key it must carry to be used."""
    key = (
        importlib.metadata.version("quickjax")
        + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    )
    return Path(app.doctreedir) / "quickjax-memo.pickle", key


def _load_memo(app: Sphinx) -> None:
    path, key = _memo_file(app)
    try:
        saved_key, memo = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, ValueError, EOFError):
        return
    if saved_key == key:
        for tex, rendered in memo.items():
            _stats.cache.setdefault(tex, rendered)


def _save_memo(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html" and _stats.cache:
        path, key = _memo_file(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((key, _stats.cache)))


def _report(app: Sphinx, exception: Exception | None) -> None:
    if _stats.nodes:
        logger.info(
            "quickjax: %d math nodes, %d distinct TeX rendered in %.2f s",
            _stats.nodes,
            _stats.renders,
            _stats.seconds,
        )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("article_numbers")
    app.add_html_math_renderer(
        "quickjax",
        inline_renderers=(visit_math, None),
        block_renderers=(visit_displaymath, None),
    )
    app.connect("builder-inited", _load_memo)
    app.connect("build-finished", _save_memo)
    app.connect("build-finished", _report)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
