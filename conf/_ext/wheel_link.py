"""The ``{wheel}`` role: a link to the package's wheel that each site ships in ``_downloads/``.

``nox -s docs`` builds the wheel of the installed ``affine-backprop`` and copies it into every
site as ``_downloads/affine_backprop-<version>-py3-none-any.whl``. ``{wheel}`link``` is a
relative link to it, shown as the file's name (it works from disk, in the multi-page site and in
the single page one folder down); ``{wheel}`pip``` is the one-line install, as code.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

WHEEL = f"affine_backprop-{version('affine-backprop')}-py3-none-any.whl"


def wheel_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    if text == "pip":
        return [nodes.literal(rawtext, f"python3 -m pip install {WHEEL}")], []
    if text != "link":
        message = f"{{wheel}} takes `link` or `pip`, got {text!r}"
        return [], [inliner.reporter.error(message, line=lineno)]
    link = nodes.reference(rawtext, "", nodes.literal(WHEEL, WHEEL), refuri=WHEEL)
    link["wheel"] = True
    return [link], []


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Point each wheel link at ``_downloads/`` of the edition, relative to the written page."""
    up = docname.count("/") + (app.builder.name == "singlehtml")  # single/ is one level down
    for link in doctree.findall(nodes.reference):
        if link.get("wheel"):
            link["refuri"] = "../" * up + f"_downloads/{WHEEL}"


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_role("wheel", wheel_role)
    app.connect("doctree-resolved", resolve)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
