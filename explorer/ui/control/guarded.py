"""The guard of every controller command and timer: whatever goes wrong becomes a message."""
from __future__ import annotations

import functools

from explorer.session import SessionError


def guarded(what: str):
    """Whatever goes wrong in a command or a timer becomes a message; the session stays as it was
    (its commands are all-or-nothing), so the last good state stays on screen. The decorated method's
    object has `message` (a signal) and `report_failure(what, err)`."""
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except SessionError as err:
                self.message.emit(str(err))
            except Exception as err:  # the guard itself: nothing typed or loaded may take the window down
                self.report_failure(what, err)
            return False
        return inner
    return wrap
