"""Never serve executed outputs that are stale against the ``affine`` package.

The pages are executed when Sphinx reads them (``nb_execution_mode = "force"``), and an
incremental build re-reads only the pages whose source changed. A change to ``affine/`` alone
would leave every page showing the old package's outputs. This extension registers the config
value ``affine_source_hash`` (``rebuild="env"``) whose default is a SHA-256 over the source files
of the *installed* ``affine`` package, the one the kernel imports: when the package changes,
Sphinx sees a changed configuration and re-reads (re-executes) every page.

The execution cache (``nb_execution_mode = "cache"``, jupyter-cache) matches a notebook by its
cells' source only, so it would serve a changed package the old outputs. Its folder is therefore
keyed too: ``<doctrees>/../jupyter_cache/<key>``, where the key hashes the package's source and
the name and version of every distribution installed beside it (numpy, matplotlib, ...). A
changed key is a changed ``nb_execution_cache_path``: every page is re-read and, with an empty
cache, re-executed. Caches of older keys are deleted.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


def package_source_hash(name: str = "affine") -> str:
    """SHA-256 over the relative paths and bytes of the package's files, in sorted order."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"the package {name!r} is not installed: install the project into the build "
            "environment (`pip install .[docs]`, as `nox -s docs` does)"
        )
    digest = hashlib.sha256()
    for location in spec.submodule_search_locations:
        root = Path(location)
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment_hash() -> str:
    """SHA-256 over ``name==version`` of every installed distribution, sorted."""
    names = sorted(
        f"{d.metadata['Name']}=={d.version}".lower() for d in importlib.metadata.distributions()
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def key_execution_cache(app: Sphinx, config: Config) -> None:
    """Point the execution cache at a folder of the current package and environment."""
    if config.nb_execution_mode != "cache" or config.nb_execution_cache_path:
        return
    key = hashlib.sha256((config.affine_source_hash + environment_hash()).encode()).hexdigest()
    root = Path(app.doctreedir).parent / "jupyter_cache"
    for old in root.glob("*") if root.is_dir() else ():
        if old.name != key[:16] and old.is_dir():
            logger.info("deleting the execution cache of an older affine: %s", old)
            shutil.rmtree(old, ignore_errors=True)
    config.nb_execution_cache_path = str(root / key[:16])


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("affine_source_hash", package_source_hash(), "env", types=frozenset({str}))
    app.connect("config-inited", key_execution_cache, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
