"""The exercises of the built book in headless Chromium, and in its downloadable notebooks.

Every exercise of the pages is in each edition and carries a number; every solution names its
exercise's number, is collapsed when the page opens and opens on a click; a wrong answer that
an exercise shows is reported by its check cell at an element. After "Run all" of a page's
notebook, each exercise's check cell still checks the reader's code, not the solution's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from browser.conftest import ROOT, Visit

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


#: Runs the notebooks given on stdin ([[notebook, [check cell, ...]], ...], the folder to run
#: in) in a child process, since a kernel client's asyncio loop cannot share this process's
#: thread with Playwright's: all cells, then each check cell again; prints JSON: for each check
#: cell, [notebook, cell, its first output, its output when run again].
RUN_ALL = """
import json, sys
import nbformat
from nbclient import NotebookClient

def text(cell):
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "")
                   for o in cell.outputs)

jobs, cwd = json.loads(sys.stdin.read())
runs = []
for path, check_cells in jobs:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=120, resources={"metadata": {"path": cwd}})
    with client.setup_kernel():
        for i, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
        first = {i: text(notebook.cells[i]) for i in check_cells}
        for i in check_cells:
            client.execute_cell(notebook.cells[i], i)
            runs.append([path, i, first[i], text(notebook.cells[i])])
print(json.dumps(runs))
"""


def check_cells(notebook: dict[str, Any]) -> list[int]:
    """The index of the last code cell of each ``{exercise-start}`` … ``{exercise-end}`` block."""
    cells, inside, last = [], False, None
    for i, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "{exercise-start}" in source:
            inside, last = True, None
        elif cell["cell_type"] == "markdown" and "{exercise-end}" in source:
            inside = False
            cells.append(last)
        elif inside and cell["cell_type"] == "code":
            last = i
    return cells


def test_run_all_keeps_the_reader_stub(site: dict[str, Path], language: str) -> None:
    """After "Run all", each exercise's check cell, run again, prints what it did at first."""
    if language != "en":
        pytest.skip("the notebooks of both languages run the same code")
    jobs = []
    for page in pages_with_exercises(site["html"]):
        notebook = site["html"] / "_sources" / f"{page.stem}.ipynb"
        cells = check_cells(json.loads(notebook.read_text(encoding="utf-8")))
        if cells:
            jobs.append([str(notebook), cells])
    child = subprocess.run(
        [sys.executable, "-c", RUN_ALL],
        input=json.dumps([jobs, str(ROOT / "docs")]),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    runs = json.loads(child.stdout)
    changed = [
        f"{Path(path).stem}, cell {i}: {first[:60]!r} became {again[:60]!r}"
        for path, i, first, again in runs
        if again != first
    ]
    assert len(runs) >= 7, runs
    assert not changed, "\n".join(changed)
