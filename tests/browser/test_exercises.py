"""The exercises of the built book in headless Chromium, and in its downloadable notebooks.

Every exercise of the pages is in each edition and carries a number; every solution names its
exercise's number, is collapsed when the page opens and opens on a click; a wrong answer that
an exercise shows is reported by its check cell at an element. After "Run all" of a page's
notebook, each exercise's check cell still checks the reader's code, not the solution's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser.conftest import ROOT
from browser.test_pages import Visit, browser

__all__ = ["browser"]  # the Chromium fixture of test_pages.py, shared

#: The words sphinx-exercise puts before the numbers, per language (the Japanese from
#: locales/ja/LC_MESSAGES/exercise.po).
EXERCISE = {"en": "Exercise", "ja": "演習問題"}
SOLUTION = {"en": "Solution to", "ja": "解答"}
#: Exercises whose stub is a wrong answer the check cell runs (the others start from None).
SHOWS_WRONG_ANSWER = {"ex-broken-backward", "ex-l2-penalty"}
#: A verdict that names the element: "FAILED at W[0, 1]: analytic 0.246, numerical 0.301 ± …".
FAILED_AT = re.compile(r"^FAILED at \w+\[\d+(, \d+)*\]: analytic \S+, numerical \S+ ± \S+;")

#: In the page: each exercise's label, number text and the text of its cell outputs.
EXERCISES_JS = """() => [...document.querySelectorAll("div.exercise.admonition")].map(box => ({
  label: box.id,
  number: box.querySelector(":scope > .admonition-title .caption-number")?.textContent ?? "",
  outputs: [...box.querySelectorAll(".cell_output")].map(out => out.innerText),
}))"""


def exercise_labels() -> list[str]:
    """The label of every exercise in the pages' source, in page order."""
    pattern = re.compile(r"^```\{exercise(?:-start)?\}.*\n:label: (\S+)$", re.MULTILINE)
    return [
        label
        for page in sorted((ROOT / "docs").glob("*.md"))
        for label in pattern.findall(page.read_text(encoding="utf-8"))
    ]


def pages_with_exercises(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.glob("*.html")) if 'class="exercise' in p.read_text("utf-8")]


def test_the_pages_have_exercises() -> None:
    labels = exercise_labels()
    assert labels and len(set(labels)) == len(labels), labels
    assert SHOWS_WRONG_ANSWER <= set(labels)


def test_every_exercise_is_numbered(
    browser: Any, site: dict[str, Path], language: str, edition: str
) -> None:
    """Each exercise of the source is shown once, as "<Exercise> n", with its own n."""
    shown: list[dict[str, Any]] = []
    visit = Visit(browser)
    try:
        for path in pages_with_exercises(site[edition]):
            visit.page.goto(path.as_uri(), wait_until="load")
            shown += visit.page.evaluate(EXERCISES_JS)
    finally:
        visit.close()
    assert sorted(box["label"] for box in shown) == sorted(exercise_labels())
    word = re.escape(EXERCISE[language])
    unnumbered = [box for box in shown if not re.fullmatch(rf"{word} \d+", box["number"].strip())]
    assert not unnumbered, unnumbered
    numbers = [box["number"].strip() for box in shown]
    assert len(set(numbers)) == len(numbers), numbers
    assert not visit.errors and not visit.remote, (visit.errors, visit.remote)


def test_solutions_are_collapsed_and_open_on_click(
    browser: Any, site: dict[str, Path], language: str
) -> None:
    """Each solution: titled with its exercise's number, hidden at first, shown after a click."""
    opened: list[str] = []
    failures: list[str] = []
    visit = Visit(browser)
    try:
        for path in pages_with_exercises(site["html"]):
            page = visit.page
            page.goto(path.as_uri(), wait_until="load")
            page.locator("div.solution button.toggle-button").first.wait_for(state="attached")
            numbers = dict(
                page.evaluate(
                    """() => [...document.querySelectorAll("div.exercise")].map(box =>
                      [box.id, box.querySelector(".caption-number").textContent.trim()])"""
                )
            )
            solutions = page.locator("div.solution.admonition")
            for i in range(solutions.count()):
                solution = solutions.nth(i)
                where = f"{path.name}, solution {i + 1}"
                title = solution.locator(":scope > .admonition-title")
                body = solution.locator(":scope > section")
                target = title.locator("a").get_attribute("href").lstrip("#")
                expected = f"{SOLUTION[language]} {numbers.get(target, '?')} ("
                if not title.inner_text().startswith(expected):
                    failures.append(f"{where}: title {title.inner_text()!r}, not {expected!r}…")
                if body.is_visible():
                    failures.append(f"{where}: shown before a click")
                title.click(position={"x": 5, "y": 5})  # the title's left edge, not its link
                try:
                    body.wait_for(state="visible", timeout=5_000)
                    opened.append(where)
                except Exception:
                    failures.append(f"{where}: still hidden after a click")
    finally:
        visit.close()
    assert not failures, "\n".join(failures)
    assert len(opened) == len(exercise_labels())  # one solution per exercise
    assert not visit.errors and not visit.remote, (visit.errors, visit.remote)


def test_a_wrong_answer_is_reported_at_an_element(browser: Any, site: dict[str, Path]) -> None:
    """The shown wrong answers fail their check, which says where; every FAILED does."""
    shown: list[dict[str, Any]] = []
    visit = Visit(browser)
    try:
        for path in pages_with_exercises(site["html"]):
            visit.page.goto(path.as_uri(), wait_until="load")
            shown += visit.page.evaluate(EXERCISES_JS)
    finally:
        visit.close()
    failed = {
        box["label"]: [
            line for out in box["outputs"] for line in out.splitlines() if line.startswith("FAILED")
        ]
        for box in shown
    }
    assert {label for label, lines in failed.items() if lines} == SHOWS_WRONG_ANSWER, failed
    vague = [line for lines in failed.values() for line in lines if not FAILED_AT.match(line)]
    assert not vague, vague


def test_run_all_keeps_the_reader_stub(site: dict[str, Path], language: str) -> None:
    """After "Run all", each exercise's check cell, run again, prints what it did at first."""
    if language != "en":
        pytest.skip("the notebooks of both languages run the same code")
    import nbformat
    from nbclient import NotebookClient

    def text(cell: Any) -> str:
        return "".join(
            o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs
        )

    changed, checked = [], 0
    for page in pages_with_exercises(site["html"]):
        notebook = nbformat.read(site["html"] / "_sources" / f"{page.stem}.ipynb", as_version=4)
        check_cells, inside = [], False  # the last code cell of each {exercise-start} block
        for i, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown" and "{exercise-start}" in cell.source:
                inside, last = True, None
            elif cell.cell_type == "markdown" and "{exercise-end}" in cell.source:
                inside = False
                check_cells.append(last)
            elif inside and cell.cell_type == "code":
                last = i
        if not check_cells:
            continue
        client = NotebookClient(
            notebook, timeout=120, resources={"metadata": {"path": str(ROOT / "docs")}}
        )
        with client.setup_kernel():
            for i, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, i)
            first = {i: text(notebook.cells[i]) for i in check_cells}
            for i in check_cells:
                client.execute_cell(notebook.cells[i], i)
                checked += 1
                if text(notebook.cells[i]) != first[i]:
                    changed.append(
                        f"{page.stem}, cell {i}: {first[i][:60]!r} became "
                        f"{text(notebook.cells[i])[:60]!r}"
                    )
    assert checked >= 7, checked
    assert not changed, "\n".join(changed)
