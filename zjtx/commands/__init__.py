"""Sub-commands of `zjtx`, one module per area; each defines register(subparsers)."""

from pathlib import Path


def path_exists(text: str) -> bool:
    """Whether ``text`` names an existing file or folder; a name too long for a path (a
    pasted round name) or one holding NUL names none, rather than raising."""
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # ENAMETOOLONG; embedded NUL
        return False
