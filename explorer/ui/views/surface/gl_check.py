"""Can this machine draw the 3D view? One OpenGL context, made and dropped once, answers it.

Virtual machines, remote desktops, old lecture-hall PCs and QT_QPA_PLATFORM=offscreen may have no
OpenGL: the window then shows the 2-D views and says why the 3D pane is empty, and export draws the
2-D views. Call after the QApplication exists; the answer is kept for the life of the process.
"""
from __future__ import annotations

import re

MIN_GL_MAJOR = 2   # pyqtgraph's GL items draw with GLSL shaders: OpenGL 2.0 or later
GL_VERSION = 0x1F02
GL_RENDERER = 0x1F01

_answer: tuple[bool, str] | None = None


def _probe() -> tuple[bool, str]:
    from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

    context = QOpenGLContext()
    if not context.create():
        return False, f"no OpenGL context can be made on the '{QGuiApplication.platformName()}' platform"
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not surface.isValid() or not context.makeCurrent(surface):
            return False, "an OpenGL context was made but cannot be used"
        functions = context.functions()
        version = functions.glGetString(GL_VERSION) or ""
        renderer = functions.glGetString(GL_RENDERER) or "an unknown renderer"
        context.doneCurrent()
    finally:
        surface.destroy()
    match = re.search(r"(\d+)\.(\d+)", version)
    if match is None:
        return False, "OpenGL did not say which version it is"
    if int(match[1]) < MIN_GL_MAJOR and "OpenGL ES" not in version:
        return False, f"OpenGL {match[0]} ({renderer}) is older than the {MIN_GL_MAJOR}.0 the 3D view needs"
    return True, f"OpenGL {match[0]} ({renderer})"


def opengl_status() -> tuple[bool, str]:
    """(usable, what was found): e.g. (True, 'OpenGL 4.5 (llvmpipe …)') or (False, why not)."""
    global _answer
    from PySide6.QtGui import QGuiApplication
    if QGuiApplication.instance() is None:
        raise RuntimeError("opengl_status() needs a QApplication first")
    if _answer is None:
        try:
            _answer = _probe()
        except Exception as err:   # a broken driver must not take the window with it
            _answer = False, f"OpenGL failed: {type(err).__name__}: {err}"
    return _answer


def opengl_available() -> bool:
    """True when the 3D view can be drawn here."""
    return opengl_status()[0]
