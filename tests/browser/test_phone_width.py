"""Every built page at the width of a phone (390 CSS pixels), in headless Chromium.

No page may be wider than the viewport: a reader should never have to scroll the whole page
sideways. What is wider than the column (a long equation, a wide table, a long line of code or
output) scrolls inside its own box, and a wide equation box shows a cue that it scrolls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser.conftest import Visit, built_pages

PHONE = {"width": 390, "height": 844}

#: Runs in the page; returns the page's width and every element that sticks out of the viewport.
MEASURE = """
async () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      const clips = ["auto", "scroll", "hidden"].includes(style.overflowX);
      if (clips && p.getBoundingClientRect().right <= width + 0.5) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5 || scrolls(el.parentElement)) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (getComputedStyle(el).position === "fixed") continue;
    const name = [el.tagName.toLowerCase(), ...el.classList].join(".");
    wide.push(`${name} right=${box.right.toFixed(0)}`);
  }
  const equations = [...document.querySelectorAll("div.math.qjx-display")].map((div) => ({
    id: div.id || (div.textContent || "").trim().slice(0, 40),
    overflows: div.scrollWidth > div.clientWidth + 1,
    overflowX: getComputedStyle(div).overflowX,
    cue: getComputedStyle(div).backgroundAttachment.includes("local")
      && getComputedStyle(div).backgroundImage.includes("gradient"),
    right: div.getBoundingClientRect().right,
  }));
  const scrollWidth = document.documentElement.scrollWidth;
  return {scrollWidth, width, wide: wide.slice(0, 10), equations};
}
"""


@pytest.fixture(scope="module")
def reports(browser: Any) -> dict[str, dict[str, Any]]:
    """What MEASURE found on every built page, keyed by the page's file URI."""
    reports = {}
    visit = Visit(browser, viewport=PHONE, device_scale_factor=2)
    try:
        for _, _, path in built_pages():
            visit.page.goto(path.as_uri(), wait_until="load")
            reports[path.as_uri()] = visit.page.evaluate(MEASURE)
    finally:
        visit.close()
    return reports


def test_page_fits_a_phone(
    reports: dict[str, dict[str, Any]], site: dict[str, Path], page: tuple[str, Path]
) -> None:
    """scrollWidth ≤ 390: nothing makes the page itself wider than the phone."""
    _, path = page
    report = reports[path.as_uri()]
    assert report["scrollWidth"] <= PHONE["width"], (
        f"page is {report['scrollWidth']} px wide at a {PHONE['width']} px viewport; "
        f"sticking out: {report['wide']}"
    )


def test_wide_equations_scroll_in_their_box_with_a_cue(
    reports: dict[str, dict[str, Any]], site: dict[str, Path]
) -> None:
    """An equation wider than the phone scrolls inside its box, with edge shadows as the cue.

    The shadows are backgrounds: covers attached "local" scroll with the content and hide the
    shadow at an edge the content has reached, so a box that does not scroll shows none.
    """
    path = site["html"] / "chain-rule.html"  # eq. (8') is wider than 390 px
    equations = reports[path.as_uri()]["equations"]
    wide = [eq for eq in equations if eq["overflows"]]
    assert wide, "expected at least one equation wider than the phone on chain-rule.html"
    for eq in wide:
        assert eq["overflowX"] in ("auto", "scroll"), eq
        assert eq["cue"], f"wide equation without the scroll cue: {eq}"
        assert eq["right"] <= PHONE["width"] + 0.5, eq
