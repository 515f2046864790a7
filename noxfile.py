"""Every check of the project: `nox` runs them all; `nox -s docs` builds the book."""

import nox

nox.options.sessions = ["lint", "tests", "doctest", "docs", "browser"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Lint and format-check the package, the tests, the noxfile and the Sphinx configuration."""
    session.install(".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the unit tests and the package's doctests."""
    session.install(".[test]")
    session.run("pytest", "tests", "affine", *session.posargs)


@nox.session(python=PYTHON)
def doctest(session: nox.Session) -> None:
    """Run the package's doctests and the doctest blocks of the pages."""
    session.install(".[test]")
    session.run("pytest", "affine", "docs", "--doctest-glob=*.md")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the book strictly: a warning, a broken reference or a failing cell fails it."""
    session.install(".[docs]")
    session.run(
        "sphinx-build", "-c", "conf", "-n", "-W", "--keep-going", "-b", "html", "docs", "build/html"
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Print the speed ratios of backward and numerical_gradient against their baselines."""
    session.install(".[bench]")
    session.run("python", "tests/benchmark.py")
