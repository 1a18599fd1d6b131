"""The window never waits on, nor replaces, a special file: its settings, its log, its autosave and a
screenshot that are named pipes are left as they are, and the window still starts and draws."""
import os
import stat
import subprocess
import sys

import pytest


@pytest.mark.slow   # over 10 s: the program started twice in processes of its own
def test_pipes_for_settings_log_autosave_and_screenshot_are_left_alone(tmp_path):
    config, data = tmp_path / "config" / "landscape-explorer", tmp_path / "data" / "landscape-explorer" / "landscape-explorer"
    config.mkdir(parents=True)
    data.mkdir(parents=True)
    pipes = [config / "landscape-explorer.conf", data / "landscape-explorer.log", data / "autosave.json",
             tmp_path / "shot-pipe.png"]
    for pipe in pipes:
        os.mkfifo(pipe)   # opened for reading or appending, each would wait for ever
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHONPATH=os.getcwd())
    shot = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "explorer", "--expr", "x^2 + y^2", "--screenshot", str(shot)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 10_000
    refused = subprocess.run([sys.executable, "-m", "explorer", "--expr", "x^2 + y^2", "--screenshot", str(pipes[-1])], env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2
    assert refused.stderr.strip().endswith(f"landscape-explorer: error: cannot write '{pipes[-1]}': it is a named "
                                           "pipe, not a regular file, so it is left as it is"), refused.stderr
    assert all(stat.S_ISFIFO(os.lstat(p).st_mode) for p in pipes)
    assert not [n for folder in (config, data, tmp_path) for n in os.listdir(folder) if ".tmp" in n]
