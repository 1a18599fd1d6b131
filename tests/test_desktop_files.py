"""The desktop integration: entry, AppStream metadata, icon, names, the one version number.

desktop-file-validate and appstreamcli come from packaging/debian-packages.txt (CI installs them):
a missing tool fails here rather than skipping, so the files are always checked.
"""
import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "explorer" / "resources" / "icons"
DESKTOP = LINUX / "landscape-explorer.desktop"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SIZES = (16, 24, 32, 48, 64, 128, 256)


def metainfo() -> Path:
    (found,) = LINUX.glob("*.metainfo.xml")
    return found


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: install {package} (listed in packaging/debian-packages.txt)"
    return path


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_tools_are_in_the_debian_package_list():
    packages = (ROOT / "packaging" / "debian-packages.txt").read_text().split()
    assert {"desktop-file-utils", "appstream"} <= set(packages)


def test_the_desktop_entry_validates():
    done = subprocess.run([tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_the_appstream_metadata_validates():
    done = subprocess.run([tool("appstreamcli", "appstream"), "validate", "--no-net", str(metainfo())],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_entry_metadata_icon_and_program_name_one_another():
    entry = desktop_entry()
    scripts = PYPROJECT["project"]["scripts"]
    assert entry["Exec"].split()[0] == entry["TryExec"] == "landscape-explorer" and "landscape-explorer" in scripts
    assert entry["Icon"] == "landscape-explorer" and (ICONS / "landscape-explorer.svg").is_file()
    component = ET.parse(metainfo()).getroot()
    assert metainfo().name == component.findtext("id") + ".metainfo.xml"
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == "landscape-explorer"
    assert component.findtext("name") == entry["Name"] == "Landscape Explorer"
    from explorer.ui.app import DESKTOP_FILE_NAME
    assert DESKTOP.name == DESKTOP_FILE_NAME + ".desktop"   # Wayland matches the window to the entry by it


def test_one_version_everywhere():
    from explorer import __version__
    version = PYPROJECT["project"]["version"]
    assert __version__ == version
    releases = [r.get("version") for r in ET.parse(metainfo()).getroot().iter("release")]
    assert releases[0] == version, "the newest release in the AppStream metadata is pyproject's version"
    done = subprocess.run([sys.executable, "-m", "explorer", "--version"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout.strip() == f"landscape-explorer {version}"
    init = (ROOT / "explorer" / "__init__.py").read_text()
    assert version not in init, "the version is written in pyproject.toml only"


def test_resources_are_package_data_and_the_window_has_a_console_free_entry_point():
    tools = PYPROJECT["tool"]["setuptools"]
    assert "data-files" not in tools
    assert {"presets/*.json", "icons/*.png", "icons/*.svg"} <= set(tools["package-data"]["explorer.resources"])
    module, _, function = PYPROJECT["project"]["gui-scripts"]["landscape-explorer-gui"].partition(":")
    import importlib
    assert callable(getattr(importlib.import_module(module), function))


@pytest.mark.parametrize("size", SIZES)
def test_the_icon_is_there_at_every_size_and_is_the_svg_drawn_at_that_size(qapp, size):
    from PySide6.QtGui import QImage
    render = _render_icons_module().render
    png = QImage(str(ICONS / f"landscape-explorer-{size}.png"))
    assert (png.width(), png.height()) == (size, size)
    fresh = render(ICONS / "landscape-explorer.svg", size).convertToFormat(png.format())
    worst = max(abs(a - b) for a, b in zip(_channels(png), _channels(fresh)))
    assert worst <= 8, "the PNGs are out of date: run packaging/render-icons"
    assert png.pixelColor(0, 0).alpha() == 0 and png.pixelColor(size // 2, size // 2).alpha() == 255


def _render_icons_module():
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("render_icons", str(ROOT / "packaging" / "render-icons"))
    spec = importlib.util.spec_from_loader("render_icons", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _channels(image) -> bytes:
    return bytes(image.constBits())[: image.sizeInBytes()]


def test_the_window_icon_and_tidy_settings_folders(tmp_path):
    code = ("import sys\n"
            "from PySide6.QtCore import QSettings, QStandardPaths\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from explorer.ui.app import name_application\n"
            "app = QApplication(sys.argv[:1])\n"
            "name_application(app)\n"
            "print(QSettings().fileName())\n"
            "print(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))\n"
            "print(sorted(s.width() for s in app.windowIcon().availableSizes()))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    settings, data, sizes = done.stdout.splitlines()
    assert settings == str(tmp_path / "config" / "landscape-explorer" / "landscape-explorer.conf")
    assert data == str(tmp_path / "data" / "landscape-explorer" / "landscape-explorer")
    assert sizes == str(list(SIZES))
