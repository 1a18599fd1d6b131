"""Landscape Explorer: see what gradients, Jacobians and Hessians do."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("landscape-explorer")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
