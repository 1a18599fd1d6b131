"""`landscape-explorer presets`, and a preset's name wherever a scene file is accepted."""
import subprocess
import sys

import pytest

import explorer.ui.app
from explorer.cli import main
from explorer.core.preset_library import load_presets, preset_name, preset_paths


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def window_calls(monkeypatch):
    """What the command line would open the window with; no window opens."""
    calls = []
    monkeypatch.setattr(explorer.ui.app, "run_gui", lambda *args: calls.append(args) or 0)
    monkeypatch.setenv("DISPLAY", ":99")
    return calls


def test_presets_prints_name_tab_title_for_every_scene_in_lecture_order(capsys):
    code, out, err = run_cli(capsys, "presets")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines == [f"{preset_name(path)}\t{scene.title}" for path, scene in load_presets()]
    assert len(lines) >= 15 and all(line.count("\t") == 1 for line in lines)
    assert lines[7] == "rosenbrock\tRosenbrock's banana valley"
    names = [line.split("\t")[0] for line in lines]
    assert len(set(names)) == len(names)


def test_a_preset_name_opens_the_window_on_its_file(window_calls, capsys):
    rosenbrock = str(next(p for p in preset_paths() if p.stem == "08-rosenbrock"))
    for argv in (["rosenbrock"], ["08-rosenbrock"], ["--scene", "rosenbrock"], ["--scene=Rosenbrock"],
                 ["rosenbrock", "--screenshot", "shot.png"], ["--screenshot", "shot.png", "rosenbrock"]):
        window_calls.clear()
        assert main(argv) == 0, argv
        (expression, _, scene), = window_calls
        assert expression is None and scene == rosenbrock, argv


def test_a_scene_file_still_opens_as_a_path(window_calls, tmp_path, monkeypatch):
    scene = tmp_path / "rosenbrock"            # a file in the way wins over the preset of that name
    scene.write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert main(["rosenbrock"]) == 0 and window_calls[-1][2] == "rosenbrock"
    assert main(["lesson.json"]) == 0 and window_calls[-1][2] == "lesson.json"   # missing: load_scene says so


@pytest.mark.parametrize("argv, words", [
    (["frobnicate"], "invalid choice: 'frobnicate' is neither a command"),
    (["--scene", "no-such-preset"], "no scene file or preset named 'no-such-preset'"),
    (["rosenbrock", "--expr", "x^2"], "either a scene or --expr"),
    (["rosenbrock", "--scene", "saddle"], "give the scene once"),
    (["export", "--scene", "no-such-preset", "--out", "x.gif"], "no scene file or preset named 'no-such-preset'"),
])
def test_a_name_that_is_no_preset_is_one_line_and_exit_2(window_calls, capsys, argv, words):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == "" and window_calls == []
    assert err.count("\n") == 1 and err.startswith("landscape-explorer: error: ") and words in err
    assert "presets" in err or "scene" in err


def test_without_a_display_the_window_says_so_before_qt_starts(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(explorer.ui.app, "run_gui", lambda *args: calls.append(args) or 0)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    code, out, err = run_cli(capsys, "--expr", "x^2")
    assert code == 2 and calls == [] and out == ""
    assert err == ("landscape-explorer: error: no display to open the window on (neither DISPLAY nor "
                   "WAYLAND_DISPLAY is set): start it from a desktop session, or put `xvfb-run -a` in front "
                   "for a screenshot\n")
    assert "xcb" not in err
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")    # a platform chosen by hand needs no display
    assert main(["--expr", "x^2"]) == 0 and len(calls) == 1


def test_the_no_display_message_comes_from_the_real_program(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "explorer", "saddle"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("landscape-explorer: error: no display to open the window on")
    assert done.stderr.count("\n") == 1


def test_the_window_entry_point_opens_a_scene_as_the_command_line_does(window_calls, capsys):
    gui = explorer.ui.app.main   # landscape-explorer-gui
    rosenbrock = str(next(p for p in preset_paths() if p.stem == "08-rosenbrock"))
    assert gui(["rosenbrock"]) == 0 and window_calls[-1] == (None, None, rosenbrock)
    assert gui(["--scene", "rosenbrock", "--screenshot", "shot.png"]) == 0
    assert window_calls[-1] == (None, "shot.png", rosenbrock)
    assert gui(["--expr", "x^2"]) == 0 and window_calls[-1] == ("x^2", None, None)
    capsys.readouterr()
    assert gui(["no-such-preset"]) == 2 and len(window_calls) == 3
    assert capsys.readouterr().err == ("landscape-explorer-gui: error: no scene file or preset named 'no-such-preset' "
                                       "(`landscape-explorer presets` lists the presets)\n")
    assert gui(["rosenbrock", "--expr", "x^2"]) == 2 and len(window_calls) == 3
    assert capsys.readouterr().err == "landscape-explorer-gui: error: give either a scene or --expr, not both\n"


def test_the_window_entry_point_does_not_load_the_command_line():
    done = subprocess.run([sys.executable, "-c", "import sys, explorer.ui.app; "
                           "print(sorted(m for m in sys.modules if m.startswith('explorer.cli')))"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "[]\n", done.stderr


def test_export_takes_a_preset_name_and_draws_what_its_file_draws(tmp_path):
    path = next(p for p in preset_paths() if p.stem == "09-saddle")
    pictures = []
    for scene in ("saddle", str(path)):
        out = tmp_path / f"{len(pictures)}.png"
        done = subprocess.run([sys.executable, "-m", "explorer", "export", "--scene", scene, "--view", "contour",
                               "--size", "320x240", "--out", str(out)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        pictures.append(out.read_bytes())
    assert pictures[0] == pictures[1]
