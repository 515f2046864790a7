"""The built site works from disk and loads nothing from the network.

* Notebook downloads carry the outputs also when they come from the execution cache: myst-nb
  writes the notebook it parsed, which the cache's copy of the outputs never reaches (a fresh
  execution fills it in place). The execution client here hands the executed cells back.
* Notebook downloads: each executed page's notebook (myst-nb writes it to ``jupyter_execute/``)
  is copied beside its source in ``_sources/`` and offered by sphinx-book-theme's download
  button as ``.ipynb``, next to the ``.md`` source. Both are relative links: they work from
  ``file://``. (The theme offers the ``.ipynb`` only with launch buttons, which would point to
  online services, so this is done here instead.)
* The executed notebooks and their images are written beside the doctrees
  (``<doctrees>/jupyter_execute``), not into the folder that holds the site: myst-nb would
  write them to ``<outdir>/../jupyter_execute``, which is ``build/html/`` itself when the
  languages' sites sit side by side (and both languages would share it).
* ``sitemap.xml``: every page in reading order under ``html_baseurl`` (html builder only).
  Each language's site is published in its own folder (``<base>/en/``, ``<base>/ja/``): the
  language is added to ``html_baseurl``, so canonical links and the sitemap name that folder.
* The theme's source maps (``_static/**/*.map``, 3.5 MB, read only by a browser's developer
  tools) are left out of the site and its archive.
* A final check of the files this build wrote (a file left as it was was checked when it was
  written): an ``http(s)://`` or protocol-relative URL that a page
  would *load* (script, stylesheet, image, frame, media, font, CSS ``url()``/``@import``) is a
  warning, so ``-W`` fails the build. Plain links (``<a href>``) and ``rel="canonical"`` load
  nothing and are allowed.
"""

from __future__ import annotations

import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from article_numbers import reading_order
from myst_nb import sphinx_ as nb_sphinx
from sphinx.util import logging

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)

REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
#: Attributes through which an element loads a resource.
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "source": ("src", "srcset"),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
#: ``<link rel>`` values that only describe the page and load nothing.
NON_LOADING_RELS = {
    "canonical",
    "alternate",
    "author",
    "license",
    "next",
    "prev",
    "index",
    "search",
    "help",
    "bookmark",
    "me",
}


_create_client = nb_sphinx.create_client


class _HandBackOutputs:
    """myst-nb's execution client; on exit the parsed notebook gets the executed cells."""

    def __init__(self, notebook: Any, *args: Any, **kwargs: Any) -> None:
        self._notebook = notebook
        self._client = _create_client(notebook, *args, **kwargs)

    def __enter__(self) -> Any:
        return self._client.__enter__()

    def __exit__(self, *exc: object) -> Any:
        result = self._client.__exit__(*exc)
        executed = self._client.notebook
        if executed is not self._notebook:  # from the cache: a merged copy
            self._notebook.cells = executed.cells
        return result


def notebooks_beside_the_doctrees(app: Sphinx) -> None:
    """myst-nb's output folder: ``<doctrees>/jupyter_execute``, one per language's doctrees."""
    config = getattr(app.env, "mystnb_config", None)
    if config is not None:
        folder = Path(app.doctreedir, "jupyter_execute").resolve()
        app.env.mystnb_config = config.copy(output_folder=str(folder))


def add_notebook_download(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Copy the executed notebook of the page to ``_sources/`` and tell the theme about it."""
    config = getattr(app.env, "mystnb_config", None)
    if doctree is None or config is None or not context.get("sourcename"):
        return  # not a page, or an edition without sources and download buttons (singlehtml)
    notebook = Path(config.output_folder, f"{pagename}.ipynb")
    if not notebook.is_file():
        return
    target = Path(app.outdir, "_sources", f"{pagename}.ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def baseurl_of_the_language(app: Sphinx, config: Config) -> None:
    """``html_baseurl`` + ``<language>/``: where this language's site is published."""
    if config.html_baseurl:
        config.html_baseurl = f"{config.html_baseurl.rstrip('/')}/{config.language}/"


_STARTED: dict[int, int] = {}  # id(app) -> when its build started (ns)


def note_the_start(app: Sphinx) -> None:
    """The time the build started: files older than it were checked by an earlier build."""
    _STARTED[id(app)] = time.time_ns() - 2_000_000_000  # 2 s early: coarse file clocks


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``sitemap.xml`` listing every page (in reading order) under ``html_baseurl``."""
    if exception is not None or app.builder.name != "html":
        return
    base = app.config.html_baseurl
    if not base:
        logger.warning("html_baseurl is not set: no sitemap.xml", type="offline_site")
        return
    base = base.rstrip("/") + "/"
    excluded = set(app.config.sitemap_excludes)
    order = reading_order(app.env)
    docs = sorted((d for d in app.env.found_docs if d not in excluded), key=order.__getitem__)
    suffix = app.builder.out_suffix
    urls = "".join(f"  <url><loc>{escape(base + d + suffix)}</loc></url>\n" for d in docs)
    Path(app.outdir, "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
        encoding="utf-8",
    )


def drop_source_maps(app: Sphinx, exception: Exception | None) -> None:
    """Delete ``_static/**/*.map``: developer-tools files, a third of the site's bytes."""
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir, "_static").rglob("*.map"):
        path.unlink()


class _LoadFinder(HTMLParser):
    """Collect every remote URL that an HTML page would load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        names = LOADING_ATTRIBUTES.get(tag, ())
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if not rels or not rels <= NON_LOADING_RELS:
                names = ("href", "imagesrcset")
        for name in names:
            for url in values.get(name, "").split(","):
                if REMOTE.match(url):
                    self.found.append(f"<{tag} {name}={url.strip()}>")
        self.found.extend(f"<{tag} style> {m}" for m in CSS_REMOTE.findall(values.get("style", "")))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(f"<style> {m}" for m in CSS_REMOTE.findall(data))


def check_no_remote_loads(app: Sphinx, exception: Exception | None) -> None:
    """Warn about every network load in the HTML and CSS written by this build."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    started = _STARTED.get(id(app), 0)
    for path in sorted(p for p in outdir.rglob("*.html") if p.stat().st_mtime_ns >= started):
        finder = _LoadFinder()
        finder.feed(path.read_text(encoding="utf-8"))
        for what in finder.found:
            logger.warning(
                "%s loads from the network: %s",
                path.relative_to(outdir),
                what,
                type="offline_site",
                subtype="remote",
            )
    for path in sorted(p for p in outdir.rglob("*.css") if p.stat().st_mtime_ns >= started):
        for url in CSS_REMOTE.findall(path.read_text(encoding="utf-8", errors="replace")):
            logger.warning(
                "%s loads from the network: %s",
                path.relative_to(outdir),
                url,
                type="offline_site",
                subtype="remote",
            )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("article_numbers")
    app.add_config_value(
        "sitemap_excludes", ["404", "genindex", "search"], "html", types=frozenset({list, tuple})
    )
    nb_sphinx.create_client = _HandBackOutputs
    app.connect("config-inited", baseurl_of_the_language)
    app.connect("builder-inited", note_the_start)
    app.connect("builder-inited", notebooks_beside_the_doctrees, priority=600)  # after myst-nb
    # before sphinx-book-theme builds its header buttons (priority 501)
    app.connect("html-page-context", add_notebook_download, priority=400)
    app.connect("build-finished", write_sitemap)
    app.connect("build-finished", drop_source_maps)
    app.connect("build-finished", check_no_remote_loads, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
