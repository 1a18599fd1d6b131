"""The Qt-free session model: what a person set up, undoable commands, one timeline."""
from explorer.session.model import Session, SessionError
from explorer.session.setup import RUN_COLOURS, Parameter, RunSpec, Setup

__all__ = ["Session", "SessionError", "Setup", "RunSpec", "Parameter", "RUN_COLOURS"]
