"""`replaces` correspondences between rulebooks: their shape, and the names they use checked."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from zjtx.scoring.catalogue import read_yaml
from zjtx.scoring.definitions import (
    CORRESPONDENCE_KINDS,
    Correspondence,
    CriterionDef,
    Rulebook,
    list_rulebook_ids,
    rulebook_dir,
)
from zjtx.scoring.errors import DataFileError, did_you_mean
from zjtx.scoring.parser import Parser

_CORRESPONDENCE_KEYS = ("rulebook", "criteria", "how")


def parse_correspondence(spec: Any, parser: Parser) -> Correspondence:
    """The shape of a `replaces` entry; the names it uses are checked once the file is built."""
    if not isinstance(spec, dict):
        raise parser.error(
            "replaces 须为映射，如 {rulebook: little-giant-2022, criteria: [LG22-1a], how: same}"
        )
    for key in spec:
        if key not in _CORRESPONDENCE_KEYS:
            raise parser.error(
                f"replaces 中有未知属性 “{key}”", did_you_mean(str(key), _CORRESPONDENCE_KEYS)
            )
    for key in _CORRESPONDENCE_KEYS:
        if not spec.get(key):
            raise parser.error(f"replaces 缺少 “{key}”")
    how = str(spec["how"])
    if how not in CORRESPONDENCE_KINDS:
        kinds = "、".join(f"{k}（{v}）" for k, v in CORRESPONDENCE_KINDS.items())
        raise parser.error(
            f"replaces 的 how “{how}” 无效，应为 {kinds}", did_you_mean(how, CORRESPONDENCE_KINDS)
        )
    raw = spec["criteria"]
    criteria = tuple(str(c) for c in (raw if isinstance(raw, list) else [raw]))
    if len(set(criteria)) != len(criteria):
        raise parser.error("replaces 的 criteria 中有重复条目")
    if how == "merged" and len(criteria) < 2:
        raise parser.error("replaces 写 merged 须列出至少两条旧条目（只对应一条时写 changed）")
    if how != "merged" and len(criteria) != 1:
        raise parser.error(f"replaces 写 {how} 只能对应一条旧条目（多条合并为本条时写 merged）")
    return Correspondence(str(spec["rulebook"]), criteria, how)


@cache
def _criterion_ids_in(path: Path, mtime_ns: int, size: int) -> tuple[str, tuple[str, ...]]:
    """Tier and criterion ids of a rulebook file, read without building it (cached per version).

    Building it would validate its own `replaces` in turn: rulebooks naming each other would
    load each other for ever, and every load would pay for two.
    """
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path.name, "评价标准文件须为映射")
    entries = data.get("criteria") or []
    ids = tuple(str(e["id"]) for e in entries if isinstance(e, dict) and e.get("id"))
    return str(data.get("tier") or ""), ids


def check_correspondences(rulebook: Rulebook, folder: Path) -> None:
    """Every `replaces` names an existing rulebook of the same tier and criteria it has.

    The earlier rulebook is looked up next to the file first, then among the bundled ones.
    """
    own_file = {None: rulebook.file}
    if rulebook.overlay is not None:
        own_file[rulebook.overlay.id] = rulebook.overlay.file
    known = sorted({p.stem for p in folder.glob("*.yaml")} | set(list_rulebook_ids()))
    users: dict[tuple[str, str], list[CriterionDef]] = {}
    for criterion in rulebook.criteria:
        link = criterion.replaces
        if link is None:
            continue
        file = own_file.get(criterion.overlay, rulebook.file)
        if link.rulebook == rulebook.id:
            raise DataFileError(file, "replaces 不能对应本标准自身", rule=criterion.id)
        path = folder / f"{link.rulebook}.yaml"
        if not path.is_file():
            path = rulebook_dir() / f"{link.rulebook}.yaml"
        if not path.is_file():
            raise DataFileError(
                file,
                f"replaces 中的评价标准 “{link.rulebook}” 不存在",
                rule=criterion.id,
                suggestion=did_you_mean(link.rulebook, [k for k in known if k != rulebook.id]),
            )
        stat = path.stat()
        tier, ids = _criterion_ids_in(path.resolve(), stat.st_mtime_ns, stat.st_size)
        if tier != rulebook.tier:
            raise DataFileError(
                file,
                f"replaces 只能对应同一层级的评价标准（{link.rulebook} 属于 “{tier}”，"
                f"本标准属于 “{rulebook.tier}”）",
                rule=criterion.id,
            )
        for old in link.criteria:
            if old not in ids:
                raise DataFileError(
                    file,
                    f"replaces 中的条目 “{old}” 不在 {link.rulebook} 中",
                    rule=criterion.id,
                    suggestion=did_you_mean(old, ids),
                )
            users.setdefault((link.rulebook, old), []).append(criterion)
    # An old criterion taken up by several new ones was split; anything else is a slip.
    for (other, old), taken_by in users.items():
        splits = [c for c in taken_by if c.replaces and c.replaces.how == "split"]
        plain = [c for c in taken_by if c.replaces and c.replaces.how in ("same", "changed")]
        names = "、".join(c.id for c in taken_by)
        if len(taken_by) > 1 and plain:
            culprit = taken_by[-1]
            raise DataFileError(
                own_file.get(culprit.overlay, rulebook.file),
                f"{other} 的 {old} 同时对应 {names}；一条旧条目分到多条新条目时各条须写 split",
                rule=culprit.id,
            )
        if splits and len(taken_by) < 2:
            culprit = splits[0]
            raise DataFileError(
                own_file.get(culprit.overlay, rulebook.file),
                f"replaces 写 split，但 {other} 的 {old} 只对应本条；拆分须至少对应两条新条目，"
                "只对应一条时写 same 或 changed",
                rule=culprit.id,
            )
