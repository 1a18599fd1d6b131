"""The presets and icons are found wherever pip puts the package, not only beside the source.

Each test installs a copy of the source tree (so pip's build leaves nothing in the repository) with
`pip install --no-deps --no-build-isolation`, then asks a Python started elsewhere, which sees the
installed copy through PYTHONPATH, what it finds. A few seconds each. The copy this Python already
has installed (editable or not) must survive them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from explorer.core.preset_library import preset_paths

pytestmark = pytest.mark.slow   # three pip installs: left out of the quick loop

ROOT = Path(__file__).resolve().parents[1]
PIP_TIMEOUT_S = 300


def installed() -> bool:
    """Whether this Python has a landscape-explorer installed (asked afresh, in a new process)."""
    code = "import importlib.metadata as m; m.distribution('landscape-explorer')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, cwd="/").returncode == 0


INSTALLED_BEFORE = installed()

REPORT = """
import json, explorer
from importlib.resources import files
from explorer.core.preset_library import load_presets
icons = files("explorer.resources") / "icons"
print(json.dumps({
    "package": explorer.__file__, "version": explorer.__version__,
    "presets": [path.name for path, _ in load_presets()],
    "icons": sorted(t.name for t in icons.iterdir() if t.name.startswith("landscape-explorer")),
}))
"""


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """What `pip install .` reads: pyproject.toml, README.md and the package, without caches or builds."""
    copy = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / "explorer", copy / "explorer", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


def pip_install(source: Path, *where: str) -> None:
    # --ignore-installed: without it `--prefix` first uninstalls the copy the tests themselves run from
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                           "--ignore-installed", "--no-input", "--disable-pip-version-check", "-q", *where,
                           str(source)],
                          capture_output=True, text=True, timeout=PIP_TIMEOUT_S, cwd=source)
    assert done.returncode == 0, done.stdout + done.stderr


def report(site: Path, elsewhere: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONSAFEPATH")}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run([sys.executable, "-c", REPORT], capture_output=True, text=True, timeout=120,
                          env=env, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def expected() -> tuple[list[str], list[str]]:
    icons = ["landscape-explorer.svg"] + [f"landscape-explorer-{n}.png" for n in (16, 24, 32, 48, 64, 128, 256)]
    return [p.name for p in preset_paths()], sorted(icons)


def check(found: dict, site: Path) -> None:
    presets, icons = expected()
    assert Path(found["package"]).resolve().is_relative_to(site.resolve()), "the installed copy was imported"
    assert found["presets"] == presets and len(presets) >= 15
    assert found["icons"] == icons
    from explorer import __version__
    assert found["version"] == __version__, "an installed copy reads the version from its metadata"


def test_pip_install_target_finds_every_preset_and_icon(source, tmp_path):
    target = tmp_path / "target"
    pip_install(source, "--target", str(target))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check(report(target, elsewhere), target)
    assert not (target / "share").exists(), "nothing is installed outside the package any more"


def test_pip_install_prefix_finds_every_preset_and_the_commands_run(source, tmp_path):
    prefix = tmp_path / "prefix"
    pip_install(source, "--prefix", str(prefix))
    site = Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check(report(site, elsewhere), site)
    env = dict(os.environ, PYTHONPATH=str(site))
    done = subprocess.run([str(prefix / "bin" / "landscape-explorer"), "presets"], capture_output=True, text=True,
                          timeout=120, env=env, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == \
        [p.stem.split("-", 1)[1] for p in preset_paths()]
    assert (prefix / "bin" / "landscape-explorer-gui").is_file()


def test_the_installed_copy_the_tests_run_from_is_still_there(source, tmp_path):
    pip_install(source, "--prefix", str(tmp_path / "prefix"))
    assert installed() == INSTALLED_BEFORE, "installing elsewhere removed this Python's own copy"


def test_pip_install_user_finds_every_preset(source, tmp_path):
    """`pip install --user .`, with the user folder moved into the test's own (PYTHONUSERBASE)."""
    base = tmp_path / "userbase"
    env = dict(os.environ, PYTHONUSERBASE=str(base))
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--user", "--no-deps", "--no-build-isolation",
                           "--ignore-installed", "--no-input", "--disable-pip-version-check", "-q", str(source)],
                          capture_output=True, text=True, timeout=PIP_TIMEOUT_S, cwd=source, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    site = Path(sysconfig.get_path("purelib", scheme="posix_user", vars={"userbase": str(base)}))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env.pop("PYTHONPATH", None)
    found = subprocess.run([sys.executable, "-c", REPORT], capture_output=True, text=True, timeout=120, env=env,
                           cwd=elsewhere)
    assert found.returncode == 0, found.stderr
    check(json.loads(found.stdout.strip().splitlines()[-1]), site)   # the user site comes before site-packages
