"""Never serve executed outputs that are stale against the ``affine`` package.

The pages are executed when Sphinx reads them (``nb_execution_mode = "force"``), and an
incremental build re-reads only the pages whose source changed. A change to ``affine/`` alone
would leave every page showing the old package's outputs. This extension registers the config
value ``affine_source_hash`` (``rebuild="env"``) whose default is a SHA-256 over the source files
of the *installed* ``affine`` package, the one the kernel imports: when the package changes,
Sphinx sees a changed configuration and re-reads (re-executes) every page.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
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


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("affine_source_hash", package_source_hash(), "env", types=frozenset({str}))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
