"""Every check of the project: `nox` runs them all; `nox -s docs` builds the book."""

import shutil
import zipfile
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests", "doctest", "docs", "browser"]
nox.options.reuse_existing_virtualenvs = True

BUILD = Path("build")
ARCHIVE_NAME = "affine-backprop-html"


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and format-check the package, the tests, the noxfile and the Sphinx configuration."""
    session.install(".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the unit tests and the package's doctests."""
    session.install(".[test]")
    session.run("pytest", "tests", "affine", *session.posargs)


@nox.session
def doctest(session: nox.Session) -> None:
    """Run the package's doctests and the doctest blocks of the pages."""
    session.install(".[test]")
    session.run("pytest", "affine", "docs", "--doctest-glob=*.md")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book strictly (site, single page, zip archive); print the page to open."""
    session.install(".[docs]")
    for edition in ("html", "singlehtml"):  # no stale pages; the doctrees keep the executed outputs
        shutil.rmtree(BUILD / edition, ignore_errors=True)
    strict = [
        "sphinx-build",
        "-c",
        "conf",
        "-n",
        "-W",
        "--keep-going",
        "-d",
        str(BUILD / "doctrees"),
    ]
    session.run(*strict, "-b", "html", "docs", str(BUILD / "html"))
    # the same doctrees: the pages are not read (nor executed) a second time
    session.run(*strict, "-b", "singlehtml", "docs", str(BUILD / "singlehtml"))
    archive = zip_folder(BUILD / "html", BUILD / f"{ARCHIVE_NAME}.zip", ARCHIVE_NAME)
    session.log(f"archive of the site: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    print((BUILD / "html" / "index.html").resolve())


@nox.session(requires=["docs"])
def browser(session: nox.Session) -> None:
    """Check the built site: every page in headless Chromium from disk, links, build rules."""
    session.install(".[docs,browser]")  # docs: the build-rule tests run sphinx-build
    session.run("pytest", "tests/browser", "--confcutdir", "tests/browser", *session.posargs)


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
    """Print the speed ratios of backward and numerical_gradient against their baselines."""
    session.install(".[bench]")
    session.run("python", "tests/benchmark.py")
