"""The mathematics: pure Python, numpy and autograd. Never imports Qt, pyqtgraph or OpenGL."""
from explorer.core.trace_per_thread import install as _install_trace_per_thread

_install_trace_per_thread()   # derivatives are taken on the window's thread and in workers at once
