"""Keep one set of drawing items per run, growing or shrinking the pool as runs come and go."""
from __future__ import annotations

from typing import Callable


def match_runs(pool: list[tuple], count: int, create: Callable[[], tuple], add: Callable, remove: Callable) -> None:
    """Make `pool` hold `count` tuples of items: new ones from `create` are added, extra ones removed."""
    while len(pool) > count:
        for item in pool.pop():
            remove(item)
    while len(pool) < count:
        items = create()
        for item in items:
            add(item)
        pool.append(items)
