"""The take-away: the wheel each site offers installs offline and runs a downloaded notebook.

A fresh virtual environment sees this test environment's packages after its own (a ``.pth``
file: numpy, ipykernel, nbclient, matplotlib, what a reader has installed already) but gets
``affine`` from the wheel, installed with ``--no-index --no-deps``: no network, nothing else.
A notebook downloaded from the site then runs top to bottom on that copy.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

from browser.conftest import BUILD

NOTEBOOK = "backprop.ipynb"  # a page's download button offers _sources/<page>.ipynb
RUN = """
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.append(nbformat.v4.new_code_cell("import affine; print(affine.__file__)"))
nbclient.NotebookClient(nb, timeout=300, resources={"metadata": {"path": sys.argv[2]}}).execute()
print(nb.cells[-1].outputs[0]["text"].strip())
"""


def test_each_site_offers_one_wheel(language: str) -> None:  # every language (conftest)
    wheels = list((BUILD / "html" / language / "_downloads").glob("affine_backprop-*.whl"))
    assert len(wheels) == 1, wheels


def test_the_wheel_installs_offline_and_runs_a_downloaded_notebook(tmp_path: Path) -> None:
    site = BUILD / "html" / "en"
    (wheel,) = (site / "_downloads").glob("affine_backprop-*-py3-none-any.whl")
    notebook = site / "_sources" / NOTEBOOK
    assert json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    venv = tmp_path / "reader"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    own = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    pip = [python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", wheel]
    subprocess.run(pip, check=True, timeout=300)
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(own) / "test-environment.pth").write_text("\n".join(sorted(ours)) + "\n")  # after
    run = [python, "-c", RUN, notebook, tmp_path]
    result = subprocess.run(run, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    used = Path(result.stdout.strip().splitlines()[-1])  # the kernel's affine
    assert used.is_relative_to(venv), f"the notebook ran on {used}, not on the wheel"
