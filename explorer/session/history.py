"""Undo and redo over whole setups: each command remembers the setup before and after it."""
from __future__ import annotations

from dataclasses import dataclass

from explorer.core.document import Setup

LIMIT = 200


@dataclass
class Command:
    """A named change: `before` and `after` are the whole setups on either side of it."""

    name: str
    before: Setup
    after: Setup
    merge_key: str | None = None


class History:
    """An undo stack. Consecutive commands with the same merge key (one edit's keystrokes, one slider
    drag) become one step until `seal` is called (Return, focus leaving, the slider released)."""

    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self.done: list[Command] = []
        self.undone: list[Command] = []
        self._open = False   # may the top command still absorb a command with its merge key?

    def push(self, name: str, before: Setup, after: Setup, merge_key: str | None = None) -> None:
        top = self.done[-1] if self.done else None
        if self._open and merge_key is not None and top is not None and top.merge_key == merge_key:
            top.after = after
            if top.after == top.before:   # typed back to where the edit began: nothing to undo
                self.done.pop()
                self._open = False
        else:
            self.done.append(Command(name, before, after, merge_key))
            del self.done[:-self.limit]
            self._open = merge_key is not None
        self.undone.clear()

    def clear(self) -> None:
        self.done.clear()
        self.undone.clear()
        self._open = False

    def seal(self) -> None:
        self._open = False

    def undo(self) -> Command | None:
        self._open = False
        if not self.done:
            return None
        command = self.done.pop()
        self.undone.append(command)
        return command

    def redo(self) -> Command | None:
        self._open = False
        if not self.undone:
            return None
        command = self.undone.pop()
        self.done.append(command)
        return command

    def undo_name(self) -> str | None:
        return self.done[-1].name if self.done else None

    def redo_name(self) -> str | None:
        return self.undone[-1].name if self.undone else None
