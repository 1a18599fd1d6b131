"""The session's undoable setup is the one document model, `explorer.core.document.Setup` (a scene file
holds one too: `explorer.core.scene.Scene`); this module names it for the session's commands."""
from __future__ import annotations

from explorer.core.document import (DEFAULT_MAX_STEPS, DEFAULT_PARAMETER_VALUE, DEFAULT_RANGE, LENS_SHARE,
                                    RUN_COLOURS, Parameter, Setup)
from explorer.core.run_spec import RunSpec

__all__ = ["Setup", "Parameter", "RunSpec", "RUN_COLOURS", "DEFAULT_RANGE", "DEFAULT_PARAMETER_VALUE",
           "DEFAULT_MAX_STEPS", "LENS_SHARE"]
