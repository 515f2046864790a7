"""Every figure the build draws is SVG: sharp at any zoom, on high-density screens and in print."""

from __future__ import annotations

import html
import re
from pathlib import Path

from browser.conftest import ROOT

IMG = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"")


def test_every_drawn_figure_is_svg(site: dict[str, Path], page: tuple[str, Path]) -> None:
    _, path = page
    drawn = [src for src in IMG.findall(path.read_text(encoding="utf-8")) if "_images/" in src]
    raster = [src for src in drawn if not src.endswith(".svg")]
    assert not raster, f"figures that are not SVG: {raster}"


def layer_diagram_alt(language: str) -> str:
    """The diagram's alt text in ``language``: the page's, or its catalog's translation."""
    source = (ROOT / "docs" / "partials.md").read_text(encoding="utf-8")
    alt = re.search(r"^:alt: (Diagram of the affine layer.*)$", source, re.M)
    assert alt, "no alt text of the layer diagram in docs/partials.md"
    if language == "en":
        return alt[1]
    from babel.messages.pofile import read_po  # Sphinx's own dependency

    with (ROOT / "locales" / language / "LC_MESSAGES" / "partials.po").open("rb") as po:
        message = read_po(po).get(alt[1])
    assert message and message.string and not message.fuzzy, f"{language}: alt not translated"
    return message.string


def test_the_layer_diagram_is_drawn(site: dict[str, Path], language: str) -> None:
    """The partials page shows the diagram of the layer, an SVG with its alt text (translated)."""
    text = (site["html"] / "partials.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure[^>]*id="fig-layer-graph".*?</figure>', text, re.S)
    assert figure, "no figure fig-layer-graph on partials.html"
    (image,) = re.findall(r"<img\b[^>]*>", figure[0])
    assert re.search(r"src=\"[^\"]+\.svg\"", image), image
    assert f'alt="{html.escape(layer_diagram_alt(language))}"' in image, image
