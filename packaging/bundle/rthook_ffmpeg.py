# PyInstaller runtime hook: runs in the frozen program before its own code.
# imageio-ffmpeg finds its ffmpeg only if the file is executable; a copy of the bundle that lost the
# run bit (a zip, some file shares and copy tools: imageio-ffmpeg#45, #121) would make MP4 export fail
# with "No ffmpeg exe could be found". Restore the bit, or, where the bundle's folder cannot be
# changed (installed by another user), use an executable copy in the user's cache folder.
# Kept cheap: no imports beyond the standard library, nothing at all when the bit is set.
def _ffmpeg_runnable():
    import glob
    import os
    import shutil
    import stat
    import sys

    if os.name != "posix" or os.environ.get("IMAGEIO_FFMPEG_EXE"):
        return
    found = [p for p in glob.glob(os.path.join(sys._MEIPASS, "imageio_ffmpeg", "binaries", "ffmpeg*"))
             if not p.endswith((".py", ".md"))]
    if not found or os.access(found[0], os.X_OK):
        return
    exe = found[0]
    try:
        os.chmod(exe, os.stat(exe).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return
    except OSError:
        pass
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "landscape-explorer")
    copy = os.path.join(cache, os.path.basename(exe))
    try:
        if not (os.path.isfile(copy) and os.path.getsize(copy) == os.path.getsize(exe)):
            os.makedirs(cache, exist_ok=True)
            tmp = f"{copy}.{os.getpid()}.tmp"
            shutil.copyfile(exe, tmp)
            os.chmod(tmp, 0o755)
            os.replace(tmp, copy)
        os.environ["IMAGEIO_FFMPEG_EXE"] = copy
    except OSError:
        pass  # export then says that no ffmpeg could be found


_ffmpeg_runnable()
del _ffmpeg_runnable
