"""The strict build refuses what would show wrongly, and numbers equations the article's way.

Each case builds a one-page book with the project's configuration (``conf/``) in a temporary
folder; no page here has code cells, so no kernel starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "conf"


def build(tmp_path: Path, body: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    source = tmp_path / "source"
    source.mkdir()
    (source / "index.md").write_text(f"# A page\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "html"
    command = [sys.executable, "-m", "sphinx", "-q", "-c", str(CONF), "-n", "-W", "--keep-going"]
    result = subprocess.run(
        [*command, "-b", "html", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result, out / "index.html"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("A brace is missing: $\\frac{a$.", "Missing close brace"),
        ("An unknown macro: $\\foo x$.", "undefined control sequence \\foo"),
        ("$$\nx = 1 \\tag{1}\n$$ (eq-tagged)", "numbered twice"),
        ("$$\ny = 2\n$$ (eq-9)", "looks like an article number"),
        ('<img src="https://example.com/a.png" alt="a">', "loads from the network"),
        ('<link rel="stylesheet" href="//cdn.example.com/a.css">', "loads from the network"),
    ],
    ids=["tex-error", "undefined-macro", "label-and-tag", "fake-article-number", "img", "css"],
)
def test_the_build_fails(tmp_path: Path, body: str, message: str) -> None:
    result, _ = build(tmp_path, body)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


def test_article_numbers_wrapping_and_labels(tmp_path: Path) -> None:
    body = "\n\n".join(
        [
            "$$\nY = X W + b\n$$ (eq-4)",
            "$$\na &= b \\\\\n  &= c\n$$ (eq-steps)",
            "$$\n\\begin{align*} u &= v \\tag{3'} \\end{align*}\n$$",
            "$$\n\\frac{\\partial y_j}{\\partial b_i} = \\delta_{ij}\n$$ (eq-3p)",
            "See {eq}`eq-4`, {eq}`eq-3p` and {eq}`eq-steps`; inline $\\boldsymbol{W}$.",
        ]
    )
    result, page = build(tmp_path, body)
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert '<span class="eqno">(4)' in html
    assert '<span class="eqno">(3\u2032)' in html
    assert '<span class="eqno">(9)' in html  # the first equation the article does not number
    for label, number in [("eq-4", "4"), ("eq-3p", "3\u2032"), ("eq-steps", "9")]:
        assert f'href="#equation-{label}">({number})</a>' in html
    assert 'aria-label="a &amp;= b \\\\\n  &amp;= c"' in html  # the author's TeX, not the wrapper
    assert "<use" not in html and ' id="MJX' not in html  # glyphs inline: no ids to collide
    assert "mathjax" not in html.lower()
