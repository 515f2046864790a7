"""Every figure the build draws is SVG: sharp at any zoom, on high-density screens and in print."""

from __future__ import annotations

import re
from pathlib import Path

IMG = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"")


def test_every_drawn_figure_is_svg(site: dict[str, Path], page: tuple[str, Path]) -> None:
    _, path = page
    drawn = [src for src in IMG.findall(path.read_text(encoding="utf-8")) if "_images/" in src]
    raster = [src for src in drawn if not src.endswith(".svg")]
    assert not raster, f"figures that are not SVG: {raster}"


def test_the_layer_diagram_is_drawn(site: dict[str, Path]) -> None:
    """The partials page shows the diagram of the layer, an SVG with its alt text."""
    text = (site["html"] / "partials.html").read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", text)
    diagram = [img for img in images if "Diagram of the affine layer" in img]
    assert len(diagram) == 1, images
    assert re.search(r"src=\"[^\"]+\.svg\"", diagram[0]), diagram[0]
