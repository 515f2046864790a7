"""Sphinx configuration of the book (built with ``sphinx-build -c conf docs build/html``)."""

import os
import sys
from pathlib import Path

# Local Sphinx extensions (conf/_ext). The kernel that executes the pages does not see this
# path: it imports the installed ``affine`` package.
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "affine-backprop"
author = "the affine-backprop authors"
copyright = "2026, the affine-backprop authors"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "numpydoc",
    "quickjax_math",  # equations as inline SVG at build time; numbers of the article
    "affine_freshness",  # a changed `affine` re-executes every page
    "offline_site",  # notebook downloads, sitemap.xml, no network loads
    "single_page",  # the singlehtml edition: references, sidebar, title
]

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True
myst_update_mathjax = False  # no MathJax: equations are SVG (quickjax_math)

# Every page read is executed; `affine_source_hash` makes a changed package re-read them all.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_js_files = ["offline-search.js"]
html_theme = "sphinx_book_theme"
html_title = "Backpropagation through the affine layer"
html_math_renderer = "quickjax"
# Used for <link rel="canonical"> and sitemap.xml only; the pages load nothing from it.
# Read the Docs says where the build will be served; elsewhere a placeholder.
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://affine-backprop.readthedocs.io/en/latest/"
)
html_context = {"default_mode": "auto"}  # pydata-sphinx-theme logs "invalid theme mode" without
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": True,
    "use_repository_button": False,
    "launch_buttons": {},
    "show_toc_level": 2,
}

numpydoc_show_class_members = False
