"""Time the book's rebuilds against a clean build, in one run (``nox -s bench``).

A copy of ``docs/``, ``conf/`` and ``locales/`` in a temporary folder is built three times by
``conf/editions.py`` (both languages, site and single page, gettext): clean (no build folder),
again with nothing changed, and after a code cell was added to one page. The environment and
the installed ``affine`` stay the same throughout, as in ``nox -s docs`` with its env kept.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = "partials.md"  # the page that gets one more code cell
BOUNDS = {"nothing changed": 0.15, "one page edited": 0.3}  # at most this share of a clean build
COUNTS = re.compile(r"^(\w+ \w+) .*read (\d+), executed (\d+)", re.M)


def build(book: Path) -> tuple[float, str]:
    """Seconds for one build of every edition, and what it printed."""
    start = time.perf_counter()
    command = [sys.executable, str(book / "conf" / "editions.py"), str(book / "build")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"the build failed:\n{result.stdout}{result.stderr}")
    return seconds, result.stdout


def counts(output: str) -> str:
    """ "en html read 1/executed 1, ..." from the build's own lines."""
    return ", ".join(f"{what} {read}/{executed}" for what, read, executed in COUNTS.findall(output))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp)
        for folder in ("docs", "conf", "locales"):
            shutil.copytree(ROOT / folder, book / folder, ignore=shutil.ignore_patterns("__py*"))
        clean, _ = build(book)
        runs = {"nothing changed": build(book)}
        page = book / "docs" / PAGE
        page.write_text(page.read_text(encoding="utf-8") + "\n```{code-cell} python\n1 + 1\n```\n")
        runs["one page edited"] = build(book)
    print(f"book build, clean: {clean:.1f} s (pages read/executed: see below)")
    slow = []
    for what, (seconds, output) in runs.items():
        ratio = seconds / clean
        verdict = "ok" if ratio <= BOUNDS[what] else "TOO SLOW"
        print(
            f"book build, {what}: {seconds:.1f} s = {ratio:.2f} x clean "
            f"(bound {BOUNDS[what]}): {verdict}; read/executed: {counts(output)}"
        )
        if verdict != "ok":
            slow.append(what)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
