"""Sphinx configuration of the book (built with ``sphinx-build -c conf docs build/html``)."""

project = "affine-backprop"
author = "the affine-backprop authors"
copyright = "2026, the affine-backprop authors"

extensions = ["myst_nb", "sphinx.ext.autodoc", "numpydoc"]

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True

nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_theme = "sphinx_book_theme"
html_title = "Backpropagation through the affine layer"

numpydoc_show_class_members = False
