"""The mathematics: pure Python, numpy and autograd. Never imports Qt, pyqtgraph or OpenGL."""
