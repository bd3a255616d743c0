"""Files written to a temporary name beside the target and renamed into place when complete."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary)`` and rename the temporary file to ``target``.

    A failure or an interruption never leaves a half-written file under the target's name
    (nor replaces a good one there); the temporary file is removed.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".part")
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
