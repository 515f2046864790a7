"""The strict build refuses what would show wrongly, and numbers equations the article's way.

Each case builds a one-page book with the project's configuration (``conf/``) in a temporary
folder; only the failing-cell case has a code cell (and starts a kernel).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser.conftest import CONF, NOTEBOOK_FRONT_MATTER, sphinx_build


def editions_module():
    """conf/editions.py, the script `nox -s docs` runs, imported as a module."""
    spec = importlib.util.spec_from_file_location("editions", CONF / "editions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(
    tmp_path: Path, body: str, front_matter: str = "", options: tuple[str, ...] = ()
) -> tuple[subprocess.CompletedProcess[str], Path]:
    source = tmp_path / "source"
    source.mkdir()
    (source / "index.md").write_text(f"{front_matter}# A page\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "html"
    return sphinx_build(source, out, *options, "-b", "html"), out / "index.html"


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


def test_a_failing_cell_fails_the_build_and_shows_its_traceback(tmp_path: Path) -> None:
    cell = (
        "```{code-cell} python\ndef shape_of_dW():\n"
        "    raise ValueError('dW is 3x2, W is 2x3')\n\nshape_of_dW()\n```"
    )
    result, _ = build(tmp_path, f"{cell}\n\nThe end.", NOTEBOOK_FRONT_MATTER)
    assert result.returncode != 0
    stderr = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr)  # IPython colours its tracebacks
    assert "index.md: WARNING: Executing notebook failed" in stderr  # the page
    assert "shape_of_dW()\n------------------" in stderr  # the cell
    assert "----> 2     raise ValueError('dW is 3x2, W is 2x3')" in stderr  # its traceback
    assert "ValueError: dW is 3x2, W is 2x3" in stderr  # and its error


def test_only_the_kernel_tcp_warning_is_dropped(capfd: pytest.CaptureFixture[str]) -> None:
    editions = editions_module()
    lines = (
        "[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All ...",
        "a warning of a page: kept",
        "WARNING | Kernel is running over TCP with a twist: kept",
    )
    script = f"import sys; sys.stderr.write({chr(10).join(lines) + chr(10)!r})"
    with editions.DropKernelWarning():
        subprocess.run([sys.executable, "-c", script], check=True)
        print("our own stderr: kept", file=sys.stderr)
    assert capfd.readouterr().err.splitlines() == [*lines[1:], "our own stderr: kept"]


def test_translation_gaps_name_the_file_and_the_string(tmp_path: Path) -> None:
    pot, po = tmp_path / "gettext", tmp_path / "LC_MESSAGES"
    pot.mkdir()
    po.mkdir()
    strings = ["Translated.", "Fuzzy.", "Empty.", "Not in the catalog."]
    (pot / "page.pot").write_text(
        "".join(f'msgid "{s}"\nmsgstr ""\n\n' for s in strings), encoding="utf-8"
    )
    (pot / "other.pot").write_text('msgid "Alone."\nmsgstr ""\n', encoding="utf-8")
    (po / "page.po").write_text(
        'msgid "Translated."\nmsgstr "訳した。"\n\n'
        '#, fuzzy\nmsgid "Fuzzy."\nmsgstr "曖昧。"\n\n'
        'msgid "Empty."\nmsgstr ""\n',
        encoding="utf-8",
    )
    gaps = editions_module().translation_gaps(pot, po)
    assert gaps == [
        f"{po / 'other.po'}: no catalog: 'Alone.'",
        f"{po / 'page.po'}: fuzzy: 'Fuzzy.'",
        f"{po / 'page.po'}: untranslated: 'Empty.'",
        f"{po / 'page.po'}: missing: 'Not in the catalog.'",
    ]


def test_a_translated_paragraph_shows_the_glued_value(tmp_path: Path) -> None:
    cell = "```{code-cell} python\n:tags: [remove-cell]\nfrom myst_nb import glue\n"
    cell += "glue('dW_rows', 3, display=False)\n```"
    catalogs = tmp_path / "locales" / "ja" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (catalogs / "index.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "dW has {glue:text}`dW_rows` rows."\nmsgstr "dW は {glue:text}`dW_rows` 行です。"\n',
        encoding="utf-8",
    )
    options = ("-D", "language=ja", "-D", f"locale_dirs={tmp_path / 'locales'}")
    body = f"{cell}\n\ndW has {{glue:text}}`dW_rows` rows."
    result, page = build(tmp_path, body, NOTEBOOK_FRONT_MATTER, options)
    assert result.returncode == 0, result.stderr
    assert 'dW は <span class="pasted-text">3</span> 行です。' in page.read_text(encoding="utf-8")
