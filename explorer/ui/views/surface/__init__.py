"""The 3D view (pyqtgraph's OpenGL): the surface, its axes, lighting, framing and marks."""
