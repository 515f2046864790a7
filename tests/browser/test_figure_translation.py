"""A drawn figure's alt text and caption are catalog strings, and the Japanese edition shows them
translated: the figure is glued by its cell and shown by ``{glue:figure}`` in the page's text.

Each case builds a one-page book with the project's configuration (``conf/``) and one code cell.
"""

from __future__ import annotations

from pathlib import Path

from browser.conftest import NOTEBOOK_FRONT_MATTER, sphinx_build

ALT, ALT_JA = "A straight line rising to the right.", "右上がりの直線。"
CAPTION, CAPTION_JA = "The line $y = x$.", "直線 $y = x$。"
PAGE = f"""{NOTEBOOK_FRONT_MATTER}# A page

```{{code-cell}} python
:tags: [remove-cell]
%config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt
from myst_nb import glue

fig, ax = plt.subplots(figsize=(2, 2))
ax.plot([0, 1], [0, 1])
glue("fig-line", fig, display=False)
```

```{{glue:figure}} fig-line
:alt: {ALT}
:name: fig-line

{CAPTION}
```
"""


def sphinx(tmp_path: Path, builder: str, *options: str) -> Path:
    """Build the page with ``builder`` into tmp_path/builder; return that folder."""
    source = tmp_path / "source"
    source.mkdir(exist_ok=True)
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    out = tmp_path / builder
    doctrees = str(tmp_path / "doctrees" / builder)
    result = sphinx_build(source, out, *options, "-d", doctrees, "-b", builder)
    assert result.returncode == 0, result.stderr
    return out


def test_gettext_extracts_the_alt_text_and_the_caption(tmp_path: Path) -> None:
    pot = (sphinx(tmp_path, "gettext") / "index.pot").read_text(encoding="utf-8")
    assert f'msgid "{ALT}"' in pot
    assert f'msgid "{CAPTION}"' in pot


def test_the_japanese_edition_translates_them(tmp_path: Path) -> None:
    catalogs = tmp_path / "locales" / "ja" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (catalogs / "index.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{ALT}"\nmsgstr "{ALT_JA}"\n\n'
        f'msgid "{CAPTION}"\nmsgstr "{CAPTION_JA}"\n',
        encoding="utf-8",
    )
    options = ("-D", "language=ja", "-D", f"locale_dirs={tmp_path / 'locales'}")
    page = (sphinx(tmp_path, "html", *options) / "index.html").read_text(encoding="utf-8")
    figure = page[page.index('id="fig-line"') :]
    figure = figure[: figure.index("</figure>")]
    assert f'alt="{ALT_JA}"' in figure
    assert ".svg" in figure
    assert "直線" in figure[figure.index("<figcaption") :]
    assert ALT not in page and "The line" not in page
