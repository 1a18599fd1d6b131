"""Lighting for the 3D surface that never hides what its colour means.

Each face is drawn as colour × (AMBIENT + (1 − AMBIENT)·max(0, n·l)): a light from just above and to
the left of the camera models the shape, and the ambient floor keeps every face at least AMBIENT
of its class colour, so a face turned away from the light is a darker blue, never black.
The normal is turned towards the viewer first, so the underside of a surface is lit the same way.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl import shaders
from pyqtgraph.opengl.items.GLMeshItem import DirtyFlag

AMBIENT = 0.72                      # the darkest a face gets, as a fraction of its colour
LIGHT = (-0.35, 0.55, 0.76)         # in camera axes: left of, above and behind the viewer
NAME = "explorer-ambient-floor"
POLYGON_OFFSET = (2.0, 2.0)         # (factor, units) for glPolygonOffset

_VERTEX = """
uniform mat4 u_mvp;
uniform mat3 u_normal;
attribute vec4 a_position;
attribute vec3 a_normal;
attribute vec4 a_color;
varying vec4 v_color;
varying vec3 v_normal;
void main() {
    v_normal = normalize(u_normal * a_normal);
    v_color = a_color;
    gl_Position = u_mvp * a_position;
}
"""

_FRAGMENT = """
#ifdef GL_ES
precision mediump float;
#endif
varying vec4 v_color;
varying vec3 v_normal;
void main() {
    vec3 n = normalize(v_normal);
    if (n.z < 0.0) n = -n;
    float diffuse = max(dot(n, normalize(vec3(%(lx)f, %(ly)f, %(lz)f))), 0.0);
    gl_FragColor = vec4(v_color.rgb * (%(ambient)f + %(direct)f * diffuse), v_color.a);
}
"""


def ambient_floor_shader() -> shaders.ShaderProgram:
    """The one program (pyqtgraph compiles it once and shares it across views, like its own)."""
    program = shaders.ShaderProgram.names.get(NAME)
    if program is None:
        code = _FRAGMENT % dict(lx=LIGHT[0], ly=LIGHT[1], lz=LIGHT[2], ambient=AMBIENT, direct=1 - AMBIENT)
        program = shaders.ShaderProgram(NAME, [shaders.VertexShader(_VERTEX), shaders.FragmentShader(code)])
    return program


def grid_normals(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Unit normals (−∂z/∂x, −∂z/∂y, 1)/‖·‖ at the vertices of a grid surface, one row per vertex in
    GLSurfacePlotItem's order (x index major): central differences, one-sided at the edges."""
    zx = np.gradient(z, x, axis=0) if len(x) > 1 else np.zeros_like(z)
    zy = np.gradient(z, y, axis=1) if len(y) > 1 else np.zeros_like(z)
    n = np.stack([-zx, -zy, np.ones_like(z)], axis=-1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    return np.ascontiguousarray(n.reshape(-1, 3), dtype=np.float32)


class SurfaceMesh(gl.GLSurfacePlotItem):
    """The surface: vertices shared between faces (a sixth of the vertices pyqtgraph's per-face
    mesh sends to GL), normals from the grid's slopes (pyqtgraph's own are a Python loop), and
    pushed back in depth so paths and overlays laid on it win: the offset grows with the face's
    depth slope, so a wide line on a steep wall seen edge-on is not cut into dashes."""

    def __init__(self):
        super().__init__(smooth=True, computeNormals=False, glOptions="opaque")
        self.setShader(ambient_floor_shader())
        self._normals = None

    def set_surface(self, x: np.ndarray, y: np.ndarray, z: np.ndarray, colours: np.ndarray) -> None:
        """Vertices at (x[i], y[j], z[i, j]) with RGBA `colours` of shape (len(x)·len(y), 4)."""
        self._normals = grid_normals(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float))
        self.setData(x=x, y=y, z=z, colors=colours)

    def parseMeshData(self):
        dirty = super().parseMeshData()
        if dirty and self._normals is not None and self.vertexes is not None \
                and len(self._normals) == len(self.vertexes):
            self.normals = self._normals
            dirty |= DirtyFlag.NORMAL
        return dirty

    def paint(self):
        GL.glEnable(GL.GL_POLYGON_OFFSET_FILL)
        GL.glPolygonOffset(POLYGON_OFFSET[0], POLYGON_OFFSET[1])
        try:
            super().paint()
        finally:
            GL.glDisable(GL.GL_POLYGON_OFFSET_FILL)
            GL.glPolygonOffset(0.0, 0.0)
