"""The self-contained bundle (packaging/build-bundle, packaging/linux/install.sh).

Built once for this module into a temporary folder (never the repository's dist/), then run as a user
without Python would run it: an environment without PYTHONPATH, VIRTUAL_ENV or LD_LIBRARY_PATH, a PATH
without this Python's folder, a temporary HOME and working folder. The window and export use the X
server pytest-xvfb started. Slow: the build takes about a minute on two cores.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow   # a PyInstaller build: left out of the quick loop

ROOT = Path(__file__).resolve().parents[1]
NAME = "landscape-explorer"
BUILD_TIMEOUT_S = 1800
RUN_TIMEOUT_S = 180
LEFT_OUT = ("scipy", "sympy", "mpmath", "hypothesis", "pytest", "_pytest", "pytestqt", "tkinter", "_tkinter",
            "matplotlib", "IPython", "PyQt5", "PyQt6", "PySide2")


@dataclass
class Built:
    dist: Path
    work: Path
    bundle: Path
    exe: Path
    tarball: Path
    seconds: float
    log: str


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    where = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [str(ROOT / "packaging" / "build-bundle"), "--no-venv", "--python", sys.executable,
             "--dist", str(where / "dist"), "--work", str(where / "work")],
            cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    except subprocess.TimeoutExpired as err:
        pytest.fail(f"packaging/build-bundle ran past {BUILD_TIMEOUT_S} s:\n{err.stdout}\n{err.stderr}", pytrace=False)
    log = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"packaging/build-bundle failed (exit {done.returncode}); PyInstaller must be installed "
                    f"(pip install '.[test]') or installable with pip:\n{log[-6000:]}", pytrace=False)
    tarballs = sorted((where / "dist").glob(f"{NAME}-*-linux-*.tar.gz"))
    assert len(tarballs) == 1, f"expected one tarball in {where / 'dist'}:\n{log[-3000:]}"
    bundle = where / "dist" / NAME
    yield Built(where / "dist", where / "work", bundle, bundle / NAME, tarballs[0],
                time.monotonic() - started, log)
    shutil.rmtree(where, ignore_errors=True)  # half a gigabyte: not kept among pytest's last three runs


@pytest.fixture
def clean(tmp_path) -> dict:
    """An environment with no trace of this Python; HOME and the working folder are temporary."""
    python_bins = {str(Path(p)) for p in (Path(sys.executable).parent, Path(sys.executable).resolve().parent,
                                         Path(sys.prefix) / "bin", Path(sys.base_prefix) / "bin")}
    path = [d for d in ("/usr/bin", "/bin") if d not in python_bins]
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {"HOME": str(home), "PATH": ":".join(path), "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(runtime),
           "TMPDIR": str(tmp_path)}
    for key in ("DISPLAY", "XAUTHORITY"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    return env


def run(exe, *args, env, cwd, ok=True, timeout=RUN_TIMEOUT_S) -> subprocess.CompletedProcess:
    done = subprocess.run([str(exe), *map(str, args)], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)
    if ok:
        assert done.returncode == 0, f"{exe} {' '.join(map(str, args))} exited {done.returncode}:\n" \
                                     f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def source_program(*args, cwd) -> subprocess.CompletedProcess:
    """The same command run by this Python from the source tree: what the bundle must agree with."""
    done = subprocess.run([sys.executable, "-m", "explorer", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def needs_display(env):
    if "DISPLAY" not in env:
        pytest.fail("no X server: the window and export need one (pytest-xvfb starts Xvfb; is xvfb installed?)",
                    pytrace=False)


def frames_written(done) -> int:
    match = re.search(r"wrote (\d+) frames?", done.stdout + done.stderr)
    assert match, done.stdout + done.stderr
    return int(match[1])


def ffmpeg_in(bundle: Path) -> Path:
    found = [p for p in (bundle / "_internal" / "imageio_ffmpeg" / "binaries").glob("ffmpeg*")
             if p.suffix not in (".py", ".md")]
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- what is in it
def test_the_bundle_holds_what_the_program_needs_and_leaves_out_the_test_tools(built):
    toc = ast.literal_eval((built.work / NAME / "PYZ-00.toc").read_text())
    modules = {entry[0] for entry in toc[1]}
    tops = {name.split(".")[0] for name in modules}
    assert not tops & set(LEFT_OUT), f"test-only or unused packages in the bundle: {sorted(tops & set(LEFT_OUT))}"
    assert not [p for p in (built.bundle / "_internal").iterdir() if p.name.split(".")[0] in LEFT_OUT]
    # the known trouble spots: pyqtgraph's GL items, PyOpenGL's platform modules (X11 and Wayland)
    for needed in ("pyqtgraph.opengl", "pyqtgraph.opengl.GLViewWidget", "OpenGL.GL", "OpenGL.platform.glx",
                   "OpenGL.platform.egl", "imageio_ffmpeg", "explorer.ui.window.main_window", "explorer.cli.export"):
        assert needed in modules, needed
    # every data file of the package (presets, icons): the same files, the same bytes
    source = {p.relative_to(ROOT): p for p in (ROOT / "explorer").rglob("*")
              if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert any(p.suffix == ".json" for p in source), "no presets in explorer/ to check"
    for relative, path in source.items():
        copy = built.bundle / "_internal" / relative
        assert copy.is_file() and copy.read_bytes() == path.read_bytes(), f"{relative} missing or changed"
    ffmpeg = ffmpeg_in(built.bundle)
    assert ffmpeg.stat().st_mode & stat.S_IXUSR, f"{ffmpeg} is not executable"
    # lean: ffmpeg (165 MB) and Qt make most of it; scipy or a second Qt would push it far past this
    size = sum(p.stat().st_size for p in built.bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 500 * 2**20, f"the bundle is {size / 2**20:.0f} MB"
    # the desktop entry, metainfo and icons packaging/linux and the package provide travel with it
    assert (built.bundle / "install.sh").stat().st_mode & stat.S_IXUSR
    for entry in (ROOT / "packaging" / "linux").glob("*.desktop"):
        assert (built.bundle / "share" / "applications" / entry.name).is_file()
    if (ROOT / "explorer" / "resources" / "icons").is_dir():
        assert list((built.bundle / "share" / "icons" / "hicolor").glob("*/apps/*"))


# ---------------------------------------------------------------- the command line without Python
def test_version_inspect_and_presets_run_without_python(built, clean, tmp_path):
    version = run(built.exe, "--version", env=clean, cwd=tmp_path).stdout.strip()
    assert version == source_program("--version", cwd=tmp_path).stdout.strip()
    assert built.tarball.name == f"{NAME}-{version.split()[-1]}-linux-{os.uname().machine}.tar.gz"

    report = json.loads(run(built.exe, "inspect", "x^2 - 3*y^2", "--at", "1,2", "--json",
                            env=clean, cwd=tmp_path).stdout)
    assert report["value"] == -11.0
    assert report["gradient"] == [2.0, -12.0]
    assert report["hessian"] == [[2.0, 0.0], [0.0, -6.0]]
    assert report["classification"] == "saddle"

    bad = run(built.exe, "inspect", "x^^2", "--at", "1,2", env=clean, cwd=tmp_path, ok=False)
    assert bad.returncode == 2 and bad.stderr.startswith("landscape-explorer: error:")
    assert "Traceback" not in bad.stderr

    listed = run(built.exe, "presets", env=clean, cwd=tmp_path).stdout
    assert listed == source_program("presets", cwd=tmp_path).stdout
    lines = listed.splitlines()
    assert lines and all(re.fullmatch(r"[a-z0-9-]+\t\S.*", line) for line in lines), listed
    assert len(lines) == len(list((ROOT / "explorer").rglob("presets/*.json")))


# ---------------------------------------------------------------- the window and export (OpenGL, ffmpeg)
def test_the_window_opens_and_saves_a_screenshot(built, clean, tmp_path):
    needs_display(clean)
    run(built.exe, "--screenshot", "window.png", env=clean, cwd=tmp_path)
    from PIL import Image
    with Image.open(tmp_path / "window.png") as image:
        assert image.width >= 800 and image.height >= 500
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 500  # a drawn window, not an empty frame


def test_the_3d_view_draws_as_the_source_program_draws_it(built, clean, tmp_path):
    """pyqtgraph's GL items through the bundle's PyOpenGL: the frame is the one the source program makes."""
    needs_display(clean)
    args = ("export", "x^2 - y^2", "--method", "gd", "--start", "0.8,0.1", "--steps", "3", "--lr", "0.1",
            "--view", "3d", "--size", "480x320")
    run(built.exe, *args, "--out", tmp_path / "bundle.png", env=clean, cwd=tmp_path)
    source_program(*args, "--out", tmp_path / "source.png", cwd=tmp_path)
    from PIL import Image
    with Image.open(tmp_path / "bundle.png") as a, Image.open(tmp_path / "source.png") as b:
        mine, theirs = (np.asarray(i.convert("RGB")).astype(int) for i in (a, b))
    assert mine.shape == theirs.shape == (320, 480, 3)
    assert len(np.unique(mine.reshape(-1, 3), axis=0)) > 50
    differs = (np.abs(mine - theirs).max(axis=2) > 8).mean()
    assert differs < 0.005, f"{differs:.1%} of the pixels differ from the source program's frame"


def test_export_writes_an_mp4_even_when_ffmpeg_lost_its_run_bit(built, clean, tmp_path):
    needs_display(clean)
    ffmpeg = ffmpeg_in(built.bundle)
    ffmpeg.chmod(0o644)  # as an unzip or a file share may leave it: the bundle's start-up repairs it
    done = run(built.exe, "export", "(1-x)^2 + 100*(y-x^2)^2", "--method", "gd,bfgs", "--start", "-1.2,1",
               "--lr", "0.001", "--steps", "6", "--size", "320x240", "--fps", "5", "--out", "race.mp4",
               env=clean, cwd=tmp_path)
    assert ffmpeg.stat().st_mode & stat.S_IXUSR
    video = tmp_path / "race.mp4"
    assert video.read_bytes()[4:8] == b"ftyp"
    import imageio_ffmpeg
    frames, _seconds = imageio_ffmpeg.count_frames_and_secs(str(video))
    assert frames == frames_written(done) >= 2


def test_export_writes_a_gif_of_a_preset(built, clean, tmp_path):
    needs_display(clean)
    first = run(built.exe, "presets", env=clean, cwd=tmp_path).stdout.splitlines()[0].split("\t")[0]
    done = run(built.exe, "export", "--scene", first, "--steps", "4", "--size", "320x240", "--out", "lesson.gif",
               env=clean, cwd=tmp_path)
    from PIL import Image
    with Image.open(tmp_path / "lesson.gif") as gif:
        assert gif.format == "GIF" and gif.size == (320, 240)
        assert gif.n_frames == frames_written(done) >= 2


# ---------------------------------------------------------------- install.sh, from the tarball
def test_install_from_the_tarball_for_one_user_and_uninstall(built, clean, tmp_path):
    prefix = tmp_path / "prefix"
    installer = ROOT / "packaging" / "linux" / "install.sh"
    run(installer, "--prefix", prefix, "--bundle", built.tarball, env=clean, cwd=tmp_path)
    link = prefix / "bin" / NAME
    assert link.is_symlink() and link.resolve() == (prefix / "opt" / NAME / NAME).resolve()
    assert run(link, "--version", env=clean, cwd=tmp_path).stdout == \
        run(built.exe, "--version", env=clean, cwd=tmp_path).stdout
    assert run(link, "inspect", "x*y", "--at", "1,1", "--json", env=clean, cwd=tmp_path).stdout
    share = built.bundle / "share"
    for shipped in (p for p in share.rglob("*") if p.is_file()):
        installed = prefix / "share" / shipped.relative_to(share)
        assert installed.is_file(), installed
        if shipped.suffix == ".desktop":  # Exec points at the installed program, wherever PATH leads
            assert re.search(rf"^Exec={re.escape(str(link))}\b", installed.read_text(), re.M)
            if shutil.which("desktop-file-validate"):
                check = subprocess.run(["desktop-file-validate", str(installed)], capture_output=True, text=True)
                assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
    # installing again replaces it; uninstalling removes the program, the link and the desktop files
    run(installer, "--prefix", prefix, "--bundle", built.bundle, env=clean, cwd=tmp_path)
    run(installer, "--prefix", prefix, "--uninstall", env=clean, cwd=tmp_path)
    assert not link.exists() and not link.is_symlink()
    assert not (prefix / "opt" / NAME).exists()
    caches = ("mimeinfo.cache", "icon-theme.cache")  # the desktop's own indexes, rebuilt by install.sh
    assert not [p for p in (prefix / "share").rglob("*") if p.is_file() and p.name not in caches]
    assert not list((prefix / "opt").glob(f".{NAME}.*"))  # no staging or unpacking folders left
