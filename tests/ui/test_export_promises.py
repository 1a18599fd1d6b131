"""What the README promises of an export, checked before the first frame: a GIF of at most 2 GB of
frames (a byte a pixel), and special files never replaced."""
import os

import pytest

from explorer.core.files import WriteError
from explorer.ui.export.checks import GIF_MAX_BYTES, ExportError
from explorer.ui.export.render import export_scene
from tests.ui.test_export import BOWL, fake_stage  # noqa: F401 - the fixture


def test_a_gif_over_2_gb_of_frames_is_refused_before_the_first(fake_stage, tmp_path, monkeypatch):
    from explorer.ui.export import checks, render as export
    monkeypatch.setattr(export, "check_space", lambda *args: None)   # the disk is not what is tested here
    out = str(tmp_path / "x.gif")
    # the attack: 10,001 frames of 4096x4096, 167.8 GB, refused before any drawing
    with pytest.raises(ExportError, match=r"^a GIF of 10,001 frames at 4096x4096 would hold 167\.8 GB of frames "
                                          r"\(at most 2 GB\): give fewer --steps, a smaller --size, or export an MP4$"):
        export_scene(BOWL, out, size=(4096, 4096), steps=10_000)
    assert fake_stage.built == [] and list(tmp_path.iterdir()) == []
    assert GIF_MAX_BYTES == 2_000_000_000
    checks.check_gif((1280, 720), 2170)             # 2,170 frames of 921,600 bytes: 1,999,872,000 bytes
    with pytest.raises(ExportError, match="2,171 frames at 1280x720"):
        checks.check_gif((1280, 720), 2171)
    assert export_scene(BOWL, str(tmp_path / "mp4.mp4"), size=(4096, 4096), steps=2) == 3   # no such limit


@pytest.mark.parametrize("suffix", ["x.gif", "x.mp4", "x.png"])
def test_an_export_onto_a_pipe_leaves_it_a_pipe(fake_stage, tmp_path, suffix):
    target = tmp_path / suffix
    os.mkfifo(target)
    with pytest.raises(WriteError, match=r"it is a named pipe, not a regular file, so it is left as it is$"):
        export_scene(BOWL, str(target), size=(64, 64), steps=2)
    assert fake_stage.built == [] and os.listdir(tmp_path) == [suffix]
    assert os.path.exists(target) and not os.path.isfile(target)
