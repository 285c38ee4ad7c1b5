"""The floor of any check of a tree: ``lstat`` every entry under the given tops, nothing else.

Standard library only, so that ``python bench/lstat_walk.py ROOT /etc /srv`` is the same walk
as a whole process (interpreter start and all) to set beside a whole ``stateward scan``."""

from __future__ import annotations

import os
import stat
import sys


def lstat_walk(root: str, tops: tuple[str, ...]) -> int:
    """How many entries there are under ``root`` + each of ``tops``."""
    count, stack = 0, [f"{root}{top}" for top in tops]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as listing:
            names = [e.name for e in listing]
        for name in names:
            path = f"{folder}/{name}"
            if stat.S_ISDIR(os.lstat(path).st_mode):
                stack.append(path)
            count += 1
    return count


if __name__ == "__main__":
    print(lstat_walk(sys.argv[1], tuple(sys.argv[2:])))
