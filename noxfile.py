"""Every check of the project: `nox` runs them all; `nox -s docs` builds the book."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests", "doctest", "docs", "pdf", "browser"]
nox.options.reuse_existing_virtualenvs = True

BUILD = Path("build")
ARCHIVE_NAME = "affine-backprop-html"
WHEELS = BUILD / "wheel"

# Every session installs the exact versions of its lock, hashes checked, then the project itself
# without dependencies. `nox -s lock` regenerates the locks; AFFINE_UNLOCKED=1 installs the
# newest releases instead (the scheduled CI run), so that a break upstream shows early.
LOCKS = Path("requirements")
UNLOCKED = os.environ.get("AFFINE_UNLOCKED") == "1"
#: `nox -s docs` fails on any English string without a finished Japanese translation, naming
#: the file and the string. AFFINE_REQUIRE_TRANSLATIONS=0 lets a writer build before translating.
REQUIRE_TRANSLATIONS = os.environ.get("AFFINE_REQUIRE_TRANSLATIONS", "1") != "0"
#: lock -> the extras of pyproject.toml it holds (the package's own dependencies come along).
LOCK_EXTRAS = {
    "lint": ["lint"],
    "tests": ["test"],
    "docs": ["docs"],
    "browser": ["docs", "browser", "test"],
    "serve": ["docs", "serve", "i18n"],
    "bench": ["bench", "docs"],  # docs: tests/bench_build.py times the book's build
    "mutation": ["mutation", "test"],
    "pdf": ["pdf"],
}
#: What every lock assumes (uv pip compile --python-version/--python-platform).
LOCK_PYTHON, LOCK_PLATFORM = "3.11", "x86_64-manylinux_2_28"
UV = "uv==0.13.9"


def lock_inputs() -> str:
    """SHA-256 of what the locks are computed from: pyproject.toml's dependency tables."""
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    inputs = {
        "build": pyproject["build-system"]["requires"],
        "dependencies": pyproject["project"]["dependencies"],
        "extras": pyproject["project"].get("optional-dependencies", {}),
        "locks": LOCK_EXTRAS,
        "python": [LOCK_PYTHON, LOCK_PLATFORM],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def project_hash() -> str:
    """SHA-256 over pyproject.toml and the package's files (what its wheel is built from)."""
    digest = hashlib.sha256(Path("pyproject.toml").read_bytes())
    for path in sorted(Path("affine").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_wheel(session: nox.Session) -> Path:
    """The wheel of `affine-backprop`, built offline from the source (reproducible dates)."""
    source = project_hash()
    built = WHEELS / "source.sha256"  # the source the wheel in WHEELS was built from
    wheels = list(WHEELS.glob("affine_backprop-*.whl"))
    if len(wheels) == 1 and built.is_file() and built.read_text() == source:
        return wheels[0]
    shutil.rmtree(WHEELS, ignore_errors=True)
    isolation = [] if UNLOCKED else ["--no-build-isolation", "--no-index"]  # setuptools: locked
    session.run(
        *("python", "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation),
        *("--wheel-dir", str(WHEELS), "."),
        env={"SOURCE_DATE_EPOCH": "315532800"},  # 1980-01-01: the earliest a zip can hold
        silent=True,
    )
    (wheel,) = WHEELS.glob("affine_backprop-*.whl")
    built.write_text(source)
    return wheel


def install(session: nox.Session, lock: str, project: bool = True) -> Path | None:
    """Install the lock ``requirements/<lock>.txt`` and the project; skipped when up to date.

    Returns the project's wheel (built from the source at most once per change), or None.
    """
    lockfile = LOCKS / f"{lock}.txt"
    if UNLOCKED:
        session.install("--upgrade", f".[{','.join(LOCK_EXTRAS[lock])}]")
        return build_wheel(session) if project else None
    if not lockfile.is_file():
        session.error(f"{lockfile} is missing: run `nox -s lock` (it writes every lock)")
    header = lockfile.read_text(encoding="utf-8").split("\n", 8)
    if f"# inputs-sha256: {lock_inputs()}" not in header:
        session.error(
            f"{lockfile} is older than the dependencies in pyproject.toml: run `nox -s lock`"
        )
    venv = Path(session.virtualenv.location)
    version = re.search(
        r"^version(?:_info)?\s*=\s*(\d+\.\d+)", (venv / "pyvenv.cfg").read_text(), re.M
    )
    if version is None or version[1] != LOCK_PYTHON:
        session.error(
            f"{lockfile} is for Python {LOCK_PYTHON} ({LOCK_PLATFORM}); this environment has "
            f"Python {version[1] if version else '?'}: use python{LOCK_PYTHON}, or "
            "AFFINE_UNLOCKED=1 to install the newest releases instead"
        )
    stamp = venv / "affine-installed.sha256"
    key = hashlib.sha256(lockfile.read_bytes() + project_hash().encode() * project).hexdigest()
    if stamp.is_file() and stamp.read_text() == key:
        return build_wheel(session) if project else None  # the wheel: rebuilt only if gone
    session.install("--quiet", "--require-hashes", "-r", str(lockfile))
    if project:
        wheel = build_wheel(session)
        session.install("--quiet", "--no-deps", "--no-index", "--force-reinstall", str(wheel))
    stamp.write_text(key)
    return wheel if project else None


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and format-check the package, the tests, the noxfile and the Sphinx configuration."""
    install(session, "lint", project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the unit tests and the package's doctests."""
    install(session, "tests")
    session.run("pytest", "tests", "affine", *session.posargs)


@nox.session
def doctest(session: nox.Session) -> None:
    """Run the package's doctests and the doctest blocks of the pages."""
    install(session, "tests")
    session.run("pytest", "affine", "docs", "--doctest-glob=*.md")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book strictly: en and ja, each a site and a single page; archive; wheel."""
    wheel = install(session, "docs")
    translations = ["--require-translations"] if REQUIRE_TRANSLATIONS else []
    # conf/editions.py prints a line per edition: where it is, its size; on failure the warnings
    session.run("python", "conf/editions.py", str(BUILD), "--wheel", str(wheel), *translations)
    for pdf in (BUILD / "html").glob("*/affine-backprop.pdf"):  # copied in by `nox -s pdf`
        single = pdf.parent / "single" / "index.html"
        if not single.is_file() or single.stat().st_mtime > pdf.stat().st_mtime:
            pdf.unlink()  # printed from an older single page: `nox -s pdf` prints it again
    write_archive(session)
    session.log(f"wheel of the package: {wheel} (in each site as _downloads/{wheel.name})")
    print((BUILD / "html" / "index.html").resolve())


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000: `nox -s serve` (English) or `nox -s serve -- ja`."""
    install(session, "serve")
    language = session.posargs[0] if session.posargs else "en"
    out = BUILD / "preview" / language
    session.run(
        *("sphinx-autobuild", "-c", "conf", "-n", "-D", f"language={language}"),
        *("-d", str(out / "doctrees"), "--host", "127.0.0.1", "--port", "8000"),
        *("--watch", "conf", "--watch", "locales", "--watch", "affine"),
        *("--ignore", "*/locales/*/LC_MESSAGES/*.mo"),
        *("docs", str(out / "html")),
    )


@nox.session
def translate(session: nox.Session) -> None:
    """Bring locales/ja/LC_MESSAGES/*.po up to the English pages (new strings, fuzzy changes)."""
    install(session, "serve")
    out = BUILD / "gettext"
    session.run(
        *(
            "sphinx-build",
            "-q",
            "-c",
            "conf",
            "-b",
            "gettext",
            "-d",
            str(BUILD / "doctrees/gettext"),
        ),
        *("docs", str(out)),
    )
    session.run("sphinx-intl", "update", "-p", str(out), "-d", "locales", "-l", "ja")


@nox.session
def lock(session: nox.Session) -> None:
    """Regenerate requirements/*.txt: exact versions with hashes, one resolution for all."""
    session.install(UV)  # the one unlocked install: the tool that writes the locks
    tmp = Path(session.create_tmp())
    pyproject = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    build = tmp / "build-system.in"  # setuptools: the wheel is built without network
    build.write_text("\n".join(pyproject["build-system"]["requires"]) + "\n")
    common = [
        *("uv", "pip", "compile", "--quiet", "--generate-hashes"),
        *("--python-version", LOCK_PYTHON, "--python-platform", LOCK_PLATFORM),
        *("--custom-compile-command", "nox -s lock", "pyproject.toml", str(build)),
    ]
    everything = tmp / "all.txt"  # every lock is a subset of this one resolution
    session.run(*common, "--all-extras", "-o", str(everything))
    LOCKS.mkdir(exist_ok=True)
    for name, wanted in LOCK_EXTRAS.items():
        present = [extra for extra in wanted if extra in extras]
        if not present:
            session.log(f"{name}: no extra {', '.join(wanted)} in pyproject.toml yet: no lock")
            continue
        out = LOCKS / f"{name}.txt"
        flags = [arg for extra in present for arg in ("--extra", extra)]
        session.run(*common, *flags, "-c", str(everything), "-o", str(out))
        lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = "".join(line for line in lines if str(tmp) not in line)  # no temporary paths
        out.write_text(
            f"# The lock of `nox -s {name}`: pyproject.toml's extras {', '.join(present)}, the\n"
            "# package's dependencies and its build requirements, exact versions with hashes.\n"
            f"# Assumes CPython {LOCK_PYTHON} on Linux x86_64 ({LOCK_PLATFORM}, glibc >= 2.28).\n"
            f"# inputs-sha256: {lock_inputs()}\n" + kept,
            encoding="utf-8",
        )


@nox.session(requires=["pdf"])  # every page links its edition's PDF; pdf requires docs
def browser(session: nox.Session) -> None:
    """Check the built site: every page in headless Chromium from disk, links, build rules."""
    install(session, "browser")  # docs: the build-rule tests run sphinx-build
    session.run("pytest", "tests/browser", "--confcutdir", "tests/browser", *session.posargs)


@nox.session(requires=["docs"])
def pdf(session: nox.Session) -> None:
    """Print each edition's single page to PDF (WeasyPrint), link it from the site, test it."""
    import ctypes.util

    if ctypes.util.find_library("pango-1.0") is None:  # WeasyPrint draws text with pango
        message = "no pango (Debian: apt-get install libpango-1.0-0): the PDFs are not made"
        if os.environ.get("CI") == "true":
            session.error(message)
        session.skip(message)
    install(session, "pdf", project=False)
    printing = {}  # language -> (its PDF, the printer's process): both editions at once
    for language in ("en", "ja"):
        single = BUILD / "html" / language / "single"
        pdf = BUILD / "pdf" / f"affine-backprop-{language}.pdf"
        stamp, key = pdf.with_suffix(".sha256"), pdf_inputs(single)
        if pdf.is_file() and stamp.is_file() and stamp.read_text() == key:
            session.log(f"{pdf}: unchanged")
            continue
        stamp.unlink(missing_ok=True)
        command = ["conf/pdf.py", str(single / "index.html"), str(pdf)]
        session.log(" ".join(["python", *command]))
        python = Path(session.bin) / "python"  # the session's environment
        printing[language] = (pdf, stamp, key, subprocess.Popen([python, *command]))
    for language, (_pdf, stamp, key, process) in printing.items():
        if process.wait() != 0:
            session.error(f"the {language} PDF failed (exit code {process.returncode})")
        stamp.write_text(key)
    for language in ("en", "ja"):  # every page of the edition links its PDF
        pdf = BUILD / "pdf" / f"affine-backprop-{language}.pdf"
        shutil.copy2(pdf, BUILD / "html" / language / "affine-backprop.pdf")
    write_archive(session)  # again: now with the PDFs
    session.run("pytest", "tests/browser/test_pdf.py", "--confcutdir", "tests/browser")


def pdf_inputs(single: Path) -> str:
    """SHA-256 over what a PDF is printed from: the single page, its styles and images, the
    printer (conf/pdf.py, the paper's stylesheet) and the lock of its tools."""
    files = [single / "index.html", *sorted(single.glob("_static/**/*.css"))]
    files += sorted(p for p in single.glob("_images/*") if p.is_file())
    files += [Path("conf/pdf.py"), Path("conf/_static/print.css"), LOCKS / "pdf.txt"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_archive(session: nox.Session) -> Path:
    """``build/affine-backprop-html.zip``: all of ``build/html`` (the PDFs too, once made)."""
    archive = zip_folder(BUILD / "html", BUILD / f"{ARCHIVE_NAME}.zip", ARCHIVE_NAME)
    pdfs = len(list((BUILD / "html").glob("*/affine-backprop.pdf")))
    session.log(
        f"archive of both editions: {archive} ({archive.stat().st_size / 1e6:.1f} MB, {pdfs} PDFs)"
    )
    return archive


def zip_folder(folder: Path, archive: Path, top: str) -> Path:
    """Zip ``folder`` as ``top/...``, files in sorted order with a fixed date (reproducible)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(
                f"{top}/{path.relative_to(folder).as_posix()}", (1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, path.read_bytes())
    return archive


@nox.session
def bench(session: nox.Session) -> None:
    """Speed ratios: backward, numerical_gradient vs baselines; book rebuilds vs a clean build."""
    install(session, "bench")
    session.run("python", "tests/benchmark.py")
    session.run("python", "tests/bench_build.py")  # rebuilds of the book against a clean build


MUTATION_FLOOR = 95.0
"""The least share of mutants of `affine/` the tests must kill, in percent."""


@nox.session
def mutation(session: nox.Session) -> None:
    """Mutate `affine/` with mutmut; fail unless the tests kill at least 95 % of the mutants."""
    install(session, "mutation")  # the tests import the mutated copy in mutants/ first
    shutil.rmtree("mutants", ignore_errors=True)  # no result of older code survives
    session.run("mutmut", "run", *session.posargs)
    session.run("mutmut", "export-cicd-stats")
    stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
    killed = stats["killed"] + stats["timeout"]  # a mutant that hangs the tests is caught too
    score = 100 * killed / stats["total"]
    session.log(
        f"mutation score: {killed} / {stats['total']} killed = {score:.1f} % "
        f"({stats['survived']} survived, {stats['no_tests']} untested; floor {MUTATION_FLOOR} %)"
    )
    if score < MUTATION_FLOOR:
        session.run("mutmut", "results")  # the mutants left alive, by name
        session.error(f"mutation score {score:.1f} % is below {MUTATION_FLOOR} %")
