"""Start-up restore removes the temporaries that saves killed mid-way left beside the autosave."""
import os
import time


def test_restore_removes_old_orphans_beside_the_autosave(window):
    from explorer.ui.window.scene_actions import autosave_path
    folder = autosave_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    orphan, young, other = (folder / ".autosave.0123abcd.tmp.json", folder / ".autosave.fedcba98.tmp.json",
                            folder / "notes.txt")
    for path in (orphan, young, other):
        path.write_text("{")
    old = time.time() - 3600
    for path in (orphan, other):
        os.utime(path, (old, old))
    try:
        window.scenes.restore_autosave()
        assert not orphan.exists()
        assert young.exists() and other.exists()    # a save in progress, and a file that is not ours
    finally:
        for path in (orphan, young, other):
            path.unlink(missing_ok=True)
