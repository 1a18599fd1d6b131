"""Ctrl-C (SIGINT) and SIGTERM during a command-line export: it stops, leaves nothing, exits 130 / 143.

The export runs in a child process (it needs the X server pytest-xvfb started: DISPLAY is inherited).
"""
import os
import select
import signal
import subprocess
import sys
import time

import pytest

# a long animation: gradient descent crawling along Rosenbrock's valley never stops early
LONG = ["export", "(1-x)^2 + 100*(y-x^2)^2", "--method", "gd", "--lr", "0.0001", "--start", "-1.2,1",
        "--steps", "200", "--size", "320x240"]

BAR = b"/201 frames"   # the progress bar after a frame: "export [....] 1/201 frames"


def start_export(out, cwd, new_group: bool = False, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "explorer", *LONG, "--out", out], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=new_group)


def wait_for_the_progress_bar(process: subprocess.Popen, timeout: float = 90.0) -> bytes:
    """Read stderr until a frame has been rendered (the bar shows); what was read so far."""
    seen = b""
    deadline = time.monotonic() + timeout
    fd = process.stderr.fileno()
    while time.monotonic() < deadline and BAR not in seen:
        if select.select([fd], [], [], 0.1)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break   # the process closed stderr: it ended
            seen += chunk
    if BAR not in seen:
        process.kill()
        process.communicate()
        pytest.fail(f"no progress bar appeared: {seen!r}")
    return seen


def finish(process: subprocess.Popen, seen: bytes) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the export did not stop within 60 s of the signal")
    return process.returncode, out.decode(), (seen + err).decode()


@pytest.mark.parametrize("suffix", ["x.gif", "x.mp4", "frames/"])
@pytest.mark.parametrize("signum, code, line", [(signal.SIGINT, 130, "landscape-explorer: interrupted"),
                                                 (signal.SIGTERM, 143, "landscape-explorer: terminated")])
def test_a_signal_stops_the_export_and_leaves_nothing(tmp_path, suffix, signum, code, line):
    process = start_export(f"{tmp_path}/{suffix}", tmp_path)
    seen = wait_for_the_progress_bar(process)
    process.send_signal(signum)
    returncode, out, err = finish(process, seen)   # a hang is caught by finish's timeout, not by a clock limit
    assert returncode == code, err
    lines = [l for l in err.replace("\r", "\n").splitlines() if l.strip() and not l.startswith("export [")]
    assert lines == [line], err                        # one line after the progress bar, no traceback
    assert out == ""
    assert list(tmp_path.iterdir()) == []               # no file, no hidden temporary


def test_ctrl_c_in_a_terminal_reaches_the_whole_process_group(tmp_path):
    """A terminal sends SIGINT to every process in the group, ffmpeg included: still one clean line."""
    process = start_export(f"{tmp_path}/x.mp4", tmp_path, new_group=True)
    seen = wait_for_the_progress_bar(process)
    os.killpg(process.pid, signal.SIGINT)
    returncode, out, err = finish(process, seen)
    assert returncode == 130, err
    assert err.rstrip().endswith("landscape-explorer: interrupted") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_second_signal_exits_at_once(tmp_path):
    process = start_export(f"{tmp_path}/x.gif", tmp_path)
    seen = wait_for_the_progress_bar(process)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    returncode, out, err = finish(process, seen)
    assert returncode == 130 and "Traceback" not in err, err
    assert err.rstrip().endswith("landscape-explorer: interrupted")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option, value, words", [
    ("--fps", "0.001", "--fps must be between 0.1 and 120 frames per second; got 0.001"),
    ("--fps", "1000", "--fps must be between 0.1 and 120"),
    ("--steps", "10001", "--steps must be between 0 and 10000"),
    ("--size", "32x32", "--size: each side must be between 64 and 4096"),
])
def test_an_option_out_of_range_fails_before_rendering(tmp_path, option, value, words):
    done = subprocess.run([sys.executable, "-m", "explorer", *LONG, option, value, "--out", "x.gif"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("landscape-explorer: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert words in done.stderr
    assert "export [" not in done.stderr                 # nothing was rendered
    assert list(tmp_path.iterdir()) == []


def test_the_second_signal_removes_the_temporary_and_exits_at_once(tmp_path, monkeypatch, capsys):
    """While a slow stage is still being built no frame loop reads the flag: a second signal ends it all."""
    from explorer.cli.export import StopSignals
    from explorer.ui.export.writers import GifWriter

    exits = []

    def fake_exit(code):
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", fake_exit)
    writer = GifWriter(tmp_path / "x.gif", 10)
    assert writer.tmp.exists()
    with StopSignals() as stop:
        assert signal.getsignal(signal.SIGTERM) == stop._handle
        stop._handle(signal.SIGTERM, None)
        assert stop() and exits == [] and writer.tmp.exists()      # the first only asks
        with pytest.raises(SystemExit):
            stop._handle(signal.SIGINT, None)
    assert exits == [143]                                           # named after the first signal
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().err.strip() == "landscape-explorer: terminated"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL      # handlers restored afterwards


@pytest.mark.parametrize("suffix", ["x.gif", "x.mp4"])
def test_losing_the_x_server_mid_export_leaves_nothing_and_fails(tmp_path, suffix):
    """xvfb-run's server ended by the same Ctrl-C: the export stops, removes its temporaries, exits 1."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "640x480x24", "+extension", "GLX"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            display = answer.readline().strip()      # the number of the display it chose, once it listens
        out = tmp_path / "out"
        out.mkdir()
        process = start_export(f"{out}/{suffix}", tmp_path, env=dict(os.environ, DISPLAY=f":{display}"))
        seen = wait_for_the_progress_bar(process)
    finally:
        server.kill()
        server.wait()
    returncode, stdout, err = finish(process, seen)
    lines = [l for l in err.replace("\r", "\n").splitlines() if l.strip() and not l.startswith("export [")]
    assert returncode == 1 and lines == ["landscape-explorer: error: the connection to the X server broke during "
                                         "the export; nothing was written"], err
    assert stdout == "" and list(out.iterdir()) == []   # no file, no hidden temporary, no palette
