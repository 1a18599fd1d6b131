"""The Qt-free session model: what a person set up, undoable commands, one timeline."""
from explorer.session.model import Session, SessionError
from explorer.core.document import RUN_COLOURS, Parameter, Setup
from explorer.core.run_spec import RunSpec

__all__ = ["Session", "SessionError", "Setup", "RunSpec", "Parameter", "RUN_COLOURS"]
