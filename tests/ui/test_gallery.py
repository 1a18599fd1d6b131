"""The gallery renders every chosen preset as the window, presentation mode and export frames, with an index."""
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

KINDS = ("window_1600x950", "window_1024x768", "presentation_1920x1080", "presentation_1024x768",
         "export_1920x1080", "export_1024x768")


@pytest.mark.slow   # over 30 s: twelve pictures of two presets, rendered by a program of their own
def test_the_gallery_renders_two_presets(tmp_path):
    done = subprocess.run([sys.executable, "-m", "explorer.gallery", str(tmp_path), "--only", "05-", "--only", "09-",
                           "--steps", "5"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    stems = ("05-ill-conditioned-bowl", "09-saddle")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([f"{stem}_{kind}.png" for stem in stems for kind in KINDS] + ["index.html"])
    for stem in stems:
        for kind in KINDS:
            with Image.open(tmp_path / f"{stem}_{kind}.png") as picture:
                assert "%dx%d" % picture.size == kind.split("_")[1]      # the size asked, whatever the screen's
                pixels = np.asarray(picture.convert("RGB"))[::4, ::4].reshape(-1, 3)
            assert len(np.unique(pixels, axis=0)) > 200                  # a picture, not a blank
    index = (tmp_path / "index.html").read_text()
    assert index.count("<img") == 12 and "Ill-conditioned bowl" in index and "09-saddle_export_1024x768.png" in index


def test_a_name_that_matches_no_preset_is_one_line_and_exit_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "explorer.gallery", str(tmp_path), "--only", "no-such-preset"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no preset matches" in done.stderr
