"""Build every edition of the book in one process, quietly and strictly (``nox -s docs``).

``python conf/editions.py build`` writes

* ``build/html/{en,ja}/`` the site of each language, ``build/html/{en,ja}/single/`` its
  single-page edition, and ``build/html/index.html``, a small page linking all four;
* ``build/gettext/`` the message catalogs (``.pot``) of the English text, checked against
  ``locales/ja/LC_MESSAGES/*.po`` (see :func:`translation_gaps`).

The pages are executed once: the English site reads (and executes) them, its single page
reuses those doctrees, and the Japanese edition, which has doctrees of its own, takes the
outputs from the execution cache (``affine_freshness`` keys it on the installed ``affine`` and
the environment). Every build is strict: a warning fails it, after the rest of the build has
run and shown its own warnings. A failing cell is a warning carrying the page, the cell and its
traceback. Sphinx's progress output is not shown; on success one line per output says where it
is and how large it is, how many pages were read and executed. An output none of whose inputs
changed since its last successful build (:func:`fingerprint`) is not built again.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE, CONF, LOCALES = ROOT / "docs", ROOT / "conf", ROOT / "locales"
LANGUAGES = {"en": "English", "ja": "日本語"}
SINGLE = "single"  # the single-page edition of a language: <language>/single/index.html
#: ipykernel 7 prints this for every kernel myst-nb starts; the kernel listens on the loopback
#: interface only. Lines holding it are dropped; every other line on stderr is kept.
KERNEL_TCP_WARNING = b"Kernel is running over TCP without encryption."


class DropKernelWarning:
    """Forward file descriptor 2 (ours and the kernels') without the kernel's TCP warning."""

    def __enter__(self) -> DropKernelWarning:
        sys.stderr.flush()
        self._saved = os.dup(2)
        read, write = os.pipe()
        os.dup2(write, 2)
        os.close(write)
        out = os.dup(self._saved)  # the thread's own: it may outlive self._saved
        self._thread = threading.Thread(target=self._pump, args=(read, out), daemon=True)
        self._thread.start()
        return self

    def _pump(self, read: int, write: int) -> None:
        with os.fdopen(read, "rb") as pipe, os.fdopen(write, "wb", 0) as out:
            for line in pipe:
                if KERNEL_TCP_WARNING not in line:
                    out.write(line)

    def __exit__(self, *exc: object) -> None:
        sys.stderr.flush()
        os.dup2(self._saved, 2)  # the pipe closes once the last kernel has gone
        os.close(self._saved)
        self._thread.join(timeout=10)


class Build:
    """What one Sphinx build did: warnings, pages read, notebooks executed (not from cache)."""

    def __init__(self, app: object, read: list[str], executed: list[str]) -> None:
        self.warnings: int = app._warncount  # the count Sphinx reports as "N warnings"
        self.title: str = app.config.html_title
        self.read, self.executed = read, executed


def sphinx(builder: str, language: str, outdir: Path, doctrees: Path) -> Build:
    """Run one strict Sphinx build without progress output."""
    import sphinx.locale
    from myst_nb.sphinx_ import NbMetadataCollector
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    sphinx.locale.translators.clear()  # the previous build's language stays otherwise
    with patch_docutils(CONF), docutils_namespace():
        app = Sphinx(
            SOURCE,
            CONF,
            outdir,
            doctrees,
            builder,
            confoverrides={"language": language},
            status=None,
            warning=sys.stderr,
            warningiserror=True,
            keep_going=True,
        )
        read: list[str] = []
        app.connect("env-before-read-docs", lambda _app, _env, docs: read.extend(docs))
        start = time.time()
        app.build()
        data = NbMetadataCollector.get_doc_data(app.env)
        # a notebook from the cache carries the time it was cached; a fresh run, its own
        executed = [
            d for d in read if (data.get(d, {}).get("exec_data") or {}).get("mtime", 0) >= start
        ]
        if builder == "html":
            remove_stale_pages(outdir, set(app.env.found_docs), doctrees / "html-pages.json")
    return Build(app, read, executed)


def remove_stale_pages(outdir: Path, docs: set[str], manifest: Path) -> None:
    """Delete the outputs of pages whose source is gone (Sphinx leaves them behind).

    ``manifest`` lists the pages of the previous build (it is kept with the doctrees).
    """
    before = set(json.loads(manifest.read_text())) if manifest.is_file() else set()
    for doc in sorted(before - docs):
        for stale in (f"{doc}.html", f"_sources/{doc}.md.txt", f"_sources/{doc}.ipynb"):
            (outdir / stale).unlink(missing_ok=True)
    manifest.write_text(json.dumps(sorted(docs)))


def translation_gaps(pot_dir: Path, catalogs: Path) -> list[str]:
    """Every English string the pages use that has no finished translation, with its file.

    A string of a ``.pot`` (of the gettext build) is translated when the ``.po`` of the same
    name in ``catalogs`` (``locales/ja/LC_MESSAGES``) holds it with a translation, not fuzzy.
    """
    from babel.messages.pofile import read_po

    gaps = []
    for pot in sorted(pot_dir.rglob("*.pot")):
        domain = pot.relative_to(pot_dir).with_suffix("")
        po = catalogs / domain.with_suffix(".po")
        with pot.open("rb") as f:
            wanted = [m.id for m in read_po(f) if m.id]
        catalog = None
        if po.is_file():
            with po.open("rb") as f:
                catalog = read_po(f)
        where = po.relative_to(ROOT) if po.is_relative_to(ROOT) else po
        for msgid in wanted:
            message = catalog.get(msgid) if catalog is not None else None
            if message is None:
                problem = "missing" if catalog is not None else "no catalog"
            elif message.fuzzy:
                problem = "fuzzy"
            elif not message.string:
                problem = "untranslated"
            else:
                continue
            text = msgid if isinstance(msgid, str) else msgid[0]
            gaps.append(f"{where}: {problem}: {text[:70]!r}")
    return gaps


def size(folder: Path) -> str:
    """Bytes of the files of an edition (a site's single page, in ``single/``, not counted)."""
    files = (
        p
        for p in folder.rglob("*")
        if p.is_file() and SINGLE not in p.relative_to(folder).parts[:1]
    )
    total = sum(p.stat().st_size for p in files)
    return f"{total / 1e6:.1f} MB"


def write_front_door(out: Path, title: str) -> Path:
    """``html/index.html``: a small page linking each language's site and single page."""
    items = "".join(
        f'<li lang="{code}"><a href="{code}/index.html" hreflang="{code}">{name}</a>'
        f' · <a href="{code}/{SINGLE}/index.html" hreflang="{code}">'
        f"{'1ページ版' if code == 'ja' else 'one page'}</a></li>\n"
        for code, name in LANGUAGES.items()
    )
    page = out / "index.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<ul>\n{items}</ul>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return page


def fingerprint(language: str, wheel: Path | None) -> str:
    """SHA-256 over everything an edition is made from.

    The pages (``docs/``), the translations (``locales/``, the ``.po`` files: Sphinx makes the
    ``.mo``), ``conf/`` (templates, styles, extensions, this script), the installed ``affine``
    that the pages execute, the name and version of every installed distribution (Sphinx, the
    theme, numpy, ...) and the wheel the site offers. An output whose fingerprint is the one of
    its last successful build is left as it is; Sphinx would only rewrite it.
    """
    sys.path.insert(0, str(CONF / "_ext"))
    from affine_freshness import environment_hash, package_source_hash

    digest = hashlib.sha256(f"{language}\0{environment_hash()}\0{package_source_hash()}".encode())
    if wheel is not None:
        digest.update(wheel.name.encode() + wheel.read_bytes())
    for folder in (SOURCE, CONF, LOCALES):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo":
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the build folder, e.g. build")
    parser.add_argument("--wheel", type=Path, help="the package's wheel, offered by each site")
    parser.add_argument(
        "--require-translations",
        action="store_true",
        help="fail when a string of the pages has no finished Japanese translation",
    )
    args = parser.parse_args(argv)
    build = args.build.resolve()
    sites, doctrees = build / "html", build / "doctrees"
    jobs = [  # (language, builder, output, doctrees)
        job
        for language in LANGUAGES
        for job in (
            (language, "html", sites / language, doctrees / language),
            (language, "singlehtml", sites / language / SINGLE, doctrees / language),
        )
    ]
    jobs.append(("en", "gettext", build / "gettext", doctrees / "gettext"))
    keys = {language: fingerprint(language, args.wheel) for language in LANGUAGES}
    failed = []
    title = ""
    logging.getLogger("traitlets").setLevel(logging.WARNING)  # "Executing notebook with kernel"
    with DropKernelWarning():
        for language, builder, outdir, trees in jobs:
            where = f"{outdir.relative_to(build.parent)}/" + ("index.html" * (builder != "gettext"))
            stamp = trees / f"{builder}.fingerprint"
            key = keys[language]
            if outdir.is_dir() and stamp.is_file() and stamp.read_text() == key:
                print(f"{language} {builder:10} {where}  unchanged")
                continue
            start = time.perf_counter()
            done = sphinx(builder, language, outdir, trees)
            seconds = time.perf_counter() - start
            title = title or done.title
            if done.warnings:
                # Sphinx keeps what it read and wrote, and would take both as current next time
                # (a source's mtime is older than its page): forget them, so that the next
                # build reads every page again and writes every output.
                (trees / "environment.pickle").unlink(missing_ok=True)
                (outdir / ".buildinfo").unlink(missing_ok=True)
                failed.append(f"{language} {builder}")
                print(f"{language} {builder}: FAILED, {done.warnings} warnings ({seconds:.0f} s)")
                continue
            stamp.write_text(key)
            if builder == "html" and args.wheel:
                downloads = outdir / "_downloads"
                downloads.mkdir(exist_ok=True)
                shutil.copy2(args.wheel, downloads / args.wheel.name)
            files = f"{len(list(outdir.glob('*.html' if builder != 'gettext' else '*.pot')))} files"
            print(
                f"{language} {builder:10} {where}  {files}, {size(outdir)}; read {len(done.read)},"
                f" executed {len(done.executed)}"
                + (f" ({', '.join(done.executed)})" if 0 < len(done.executed) <= 3 else "")
                + f"; {seconds:.0f} s"
            )
    front = sites / "index.html"
    if title or not front.is_file():  # else every edition was unchanged, and so is this page
        write_front_door(sites, title or "affine-backprop")
    print(f"front page {front.relative_to(build.parent)} (links both languages)")
    gaps = translation_gaps(build / "gettext", LOCALES / "ja" / "LC_MESSAGES")
    report = build / "gettext" / "ja-untranslated.txt"
    report.write_text("".join(f"{gap}\n" for gap in gaps), encoding="utf-8")
    verdict = "FAILED" if gaps and args.require_translations else "ok" if not gaps else "todo"
    print(
        f"ja translation: {verdict}, {len(gaps)} strings not translated"
        + (f" (list: {report.relative_to(build.parent)})" if gaps else "")
    )
    if gaps and args.require_translations:
        print(*gaps, sep="\n")
        failed.append("ja translation")
    if failed:
        print(f"the build failed: {', '.join(failed)} (warnings are errors)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
