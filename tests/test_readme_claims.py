"""Sentences of the README that the program can check: the presets it ships, the install line."""
import re
from pathlib import Path

from explorer.core.preset_library import preset_paths

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_counts_the_presets_that_ship():
    (count,) = re.findall(r"loads one of the (\d+)\s+lecture scenes", README)
    assert int(count) == len(preset_paths())


def test_the_install_line_refreshes_the_package_lists_first_and_works_with_or_without_sudo():
    # a fresh Debian container has no package lists: `apt-get install` alone finds nothing
    first = README.split("```sh\n", 1)[1].splitlines()[0]
    steps = [step.strip() for step in first.split("&&")]
    assert steps[0] == "$(command -v sudo) apt-get update"
    assert steps[1].startswith("$(command -v sudo) apt-get install -y ")
    # Debian 12's Python refuses a system-wide `pip install`: a virtual environment, and its venv package
    assert "python3-venv" in steps[1] and "python3 -m venv .venv" in steps and ".venv/bin/pip install ." in steps
