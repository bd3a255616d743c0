"""Text for the terminal: control characters shown escaped, tables that line up Chinese."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TextIO

# Control characters other than tab and newline, and the bidirectional overrides: stored text
# (a company name with ESC [31m, a carriage return) must never drive the terminal.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_text(text: str) -> str:
    """``text`` with every control character written as a visible escape such as ``\\u001b``
    (also a valid escape inside JSON strings)."""
    return TERMINAL_CONTROLS.sub(_escaped, text)


class EscapingStream:
    """A text stream that writes control characters visibly escaped (terminal_text).

    ``unescaped`` is the stream underneath, for the CLI's own control output (the ``\\r`` of
    a progress line); everything else is passed through to it.
    """

    def __init__(self, stream: TextIO) -> None:
        self.unescaped = stream

    def write(self, text: str) -> int:
        return self.unescaped.write(terminal_text(text))

    def writelines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unescaped, name)


def escape_terminal_output() -> None:
    """Make everything printed to stdout and stderr show control characters escaped (once)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, EscapingStream):
            setattr(sys, name, EscapingStream(stream))


def unescaped(stream: TextIO) -> TextIO:
    """The stream under an EscapingStream (for deliberate control output), else ``stream``."""
    return getattr(stream, "unescaped", stream)


CLEAR_TO_END = "\x1b[K"  # a shorter progress line leaves nothing of the longer one before
_progress_open = [False]  # a progress line drawn and not yet ended


def end_progress_line() -> None:
    """End a progress line left open (a command failing part-way), so that what is said next
    starts a line of its own."""
    if _progress_open[0]:
        _progress_open[0] = False
        print(file=unescaped(sys.stderr), flush=True)


def stage(text: str) -> None:
    """What a long command is doing now, on an interactive stderr (a pipe gets results only)."""
    if sys.stderr.isatty():
        print(f"{text}……", file=sys.stderr, flush=True)


def progress_printer(label: str, *, percent: bool = False) -> Callable[[int, int], None]:
    """A progress callback drawing ``label done/total`` (or whole percents) on one line of
    an interactive stderr; nothing when stderr is a pipe or a file."""
    interactive = sys.stderr.isatty()
    last: list[str] = []

    def show(done: int, total: int) -> None:
        if not interactive:
            return
        shown = f"{100 * done // total if total else 100}%" if percent else f"{done}/{total}"
        if last and last[-1] == shown:
            return
        last[:] = [shown]
        _draw(f"{label} {shown}", ended=done >= total)

    return show


def reading_printer() -> Callable[..., None]:
    """The intake's progress (rows read so far) on an interactive stderr."""
    interactive = sys.stderr.isatty()

    def show(done: int, _total: int, message: str = "正在读取申报文件") -> None:
        if interactive:
            _draw(f"{message}：已读 {done} 行", ended=False)

    return show


def _draw(text: str, *, ended: bool) -> None:
    """A progress line over the last one; ``ended`` moves on to the next line."""
    _progress_open[0] = not ended
    # the carriage return is the CLI's own: written past the control-character escaping
    print(f"\r{text}{CLEAR_TO_END}", end="\n" if ended else "", file=unescaped(sys.stderr),
          flush=True)  # fmt: skip


def display_width(text: str) -> int:
    """Columns a string occupies in a terminal (wide and full-width characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


# The words an evaluator may type for 符合 / 不符合, in `review --confirm` and `panel judge --met`.
MET_WORDS = {"met": True, "yes": True, "y": True, "是": True, "符合": True,
             "unmet": False, "no": False, "n": False, "否": False, "不符合": False}  # fmt: skip
MET_HELP = "met（符合，也可写 yes、是）或 unmet（不符合，也可写 no、否）"


def met_word(text: str) -> bool | None:
    """True for a word meaning 符合, False for 不符合, None for anything else."""
    return MET_WORDS.get(text.strip().lower())


def coded(labels: Mapping[str, str], codes: Iterable[str] | None = None) -> str:
    """Codes with their Chinese labels for an option's help: ``recognised（已认定）、…`` (all of
    ``labels``, or only ``codes``, in their order)."""
    return "、".join(f"{code}（{labels[code]}）" for code in (labels if codes is None else codes))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A left-aligned table with a rule under the header."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(pad(c, w) for c, w in zip(cells[0], widths, strict=True)).rstrip()]
    # The last column is never padded: its rule stops at a readable length, not at its longest text.
    rules = [*widths[:-1], min(widths[-1], max(display_width(cells[0][-1]), 40))]
    lines.append("  ".join("─" * w for w in rules))
    for row in cells[1:]:
        lines.append("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_json(data: Any) -> str:
    """JSON for `--json` output: UTF-8 Chinese kept readable, Decimals as numbers."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
