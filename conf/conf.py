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
    "i18n_notebooks",  # translated pages keep glued values; display math translates
    "wheel_link",  # {wheel}: the package's wheel that every site ships
    "sphinx_togglebutton",  # collapsed solutions (class dropdown)
    "exercise_ids",  # sphinx-exercise's boxes, with unique ids
    "ja_search",  # Japanese edition: search by character bigrams
    "lean_doctrees",  # translated nodes belong to their page (small pickled doctrees)
]

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True
myst_update_mathjax = False  # no MathJax: equations are SVG (quickjax_math)

# A page read is executed, or its outputs come from the execution cache, which is keyed on the
# installed `affine` and the environment's packages (`affine_freshness`): a changed package
# re-reads and re-executes every page; the Japanese edition reuses the English execution.
nb_execution_mode = "cache"
# A failing cell is a warning (so -W fails the build) that shows the page, the cell and its
# traceback; the build goes on to show every other failure too.
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_execution_timeout = 120
# A drawn figure is SVG; the gettext builder keeps it too (myst-nb would give it the figure's
# text/plain), so that the figure's alt text is extracted for translation.
nb_mime_priority_overrides = [("gettext", "image/svg+xml", 5)]
nb_merge_streams = True  # a cell's printed lines in one output box

# Translations: gettext catalogs per page in locales/<lang>/LC_MESSAGES (sphinx-intl), with no
# source locations in them, so that moving a paragraph does not touch the catalogs.
language = "en"
locale_dirs = ["../locales"]
gettext_compact = False
gettext_location = False
gettext_uuid = False

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
    # the page in the other language (a relative link: works from disk), then the theme's buttons
    "article_header_end": ["language-twin.html", "article-header-buttons.html"],
}

numpydoc_show_class_members = False
# no intersphinx (the build is offline): numpy's array type in field annotations stays unlinked
nitpick_ignore = [("py:class", "numpy.ndarray")]
