"""Lossless storage forms: typed values, provenance, and results sharing rulebook texts."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from tests.store.helpers import make_uscc
from zjtx.domain.applicant import Applicant, Provenance
from zjtx.domain.results import CriterionState
from zjtx.intake import read_applicants
from zjtx.intake.synthetic import applicants
from zjtx.store import codec
from zjtx.store.dto import RoundInfo
from zjtx.store.scoring_port import RulebookScorer
from zjtx.store.texts import Reference, compact, expand, extract_texts


def _round(tier: str) -> RoundInfo:
    return RoundInfo(
        id=1, name="r", tier=tier, round_date=date(2026, 5, 20), region=None, rulebook=None,
        overlay=None, settings={}, created_by="", created_at=None,  # type: ignore[arg-type]
    )  # fmt: skip


def test_results_expand_back_exactly_for_many_applicants():
    """Every synthetic applicant's result survives compact/expand unchanged, key order too."""
    scorer = RulebookScorer()
    for tier in ("little-giant", "srdi-sme", "innovative-sme"):
        info = _round(tier)
        results = [
            scorer(Applicant(values=values), info, []).to_dict()
            for values in applicants(60, 2026, seed=11)
        ]
        references: dict[str, dict] = {}
        for result in results:
            texts = references.setdefault(result["rulebook_hash"], extract_texts(result))
            stored = json.loads(json.dumps(compact(result, texts), ensure_ascii=False))
            again = expand(stored, json.loads(json.dumps(texts, ensure_ascii=False)))
            assert again == result
            assert json.dumps(again, ensure_ascii=False) == json.dumps(result, ensure_ascii=False)
        sizes = [len(json.dumps(compact(r, references[r["rulebook_hash"]]))) for r in results]
        assert sum(sizes) < sum(len(json.dumps(r)) for r in results) / 2


def _compact_as_before(result: dict, texts: dict) -> dict:
    """The stored form as the store wrote it before Reference: every key compared by hand."""
    missing = object()

    def diff(item: dict, base: dict) -> dict:
        kept = {k: v for k, v in item.items() if base.get(k, missing) != v}
        absent = [k for k in base if k not in item]
        if absent:
            kept["$absent"] = absent
        return kept

    top = texts["top"]
    out = {k: v for k, v in result.items() if k != "criteria" and not (k in top and top[k] == v)}
    criteria = []
    for item in result["criteria"]:
        base = texts["criteria"].get(item["id"])
        if base is None:
            criteria.append(item)
            continue
        kept = diff(item, base)
        kept["id"] = item["id"]
        parts, base_parts = item.get("parts"), base.get("parts")
        if "parts" in kept and parts and base_parts and len(parts) == len(base_parts):
            kept["parts"] = {"$diff": [diff(p, b) for p, b in zip(parts, base_parts, strict=True)]}
        criteria.append(kept)
    out["criteria"] = criteria
    return out


def test_prepared_reference_stores_the_same_bytes_as_before():
    """Compacting through a Reference read back from JSON stores exactly what the store
    wrote before (same keys, same order), for hundreds of real results."""
    scorer = RulebookScorer()
    for tier in ("little-giant", "srdi-sme", "innovative-sme"):
        info = _round(tier)
        results = [
            scorer(Applicant(values=values), info, []).to_dict()
            for values in applicants(120, 2026, seed=5)
        ]
        references: dict[str, tuple[dict, Reference]] = {}
        for result in results:
            if result["rulebook_hash"] not in references:
                texts = json.loads(_stored(extract_texts(result)))  # as read from the database
                references[result["rulebook_hash"]] = (texts, Reference(texts))
            texts, reference = references[result["rulebook_hash"]]
            assert _stored(compact(result, texts, reference)) == _stored(
                _compact_as_before(result, texts)
            )


def _stored(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_differences_in_shape_are_kept():
    """A criterion missing a key, extra keys and a different number of parts come back."""
    reference = {
        "rulebook_title": "T",
        "criteria": [
            {"id": "A", "title": "甲", "state": "met", "parts": [{"text": "x", "state": "met"}]}
        ],
    }
    other = {
        "rulebook_title": "T",
        "criteria": [
            {"id": "A", "state": "unmet", "extra": 1, "parts": []},
            {"id": "B", "title": "乙"},
        ],
    }
    texts = extract_texts(reference)
    assert expand(compact(other, texts), texts) == other


def test_format1_texts_still_expand():
    """Results stored with the first texts format (shared texts of parts) read back."""
    texts = {
        "top": {"rulebook_title": "T"},
        "criteria": {"A": {"title": "甲", "clause": "条款", "part_texts": ["x"]}},
    }
    stored = {"criteria": [{"id": "A", "state": "met", "parts": [{"state": "met"}]}]}
    assert expand(stored, texts) == {
        "rulebook_title": "T",
        "criteria": [
            {
                "id": "A",
                "title": "甲",
                "state": "met",
                "clause": "条款",
                "parts": [{"text": "x", "state": "met"}],
            }
        ],
    }


def test_provenance_of_one_sheet_and_of_several_files_round_trips():
    """Provenance from one sheet is stored compactly; mixed files, and the old form, decode."""
    one = {
        "name": Provenance("a.xlsx", "名单", "A3", "某某公司"),
        "revenue_y1": Provenance("a.xlsx", "名单", "F3", "1,200万元"),
    }
    mixed = {**one, "uscc": Provenance("b.csv", None, "B2", None)}
    for provenance in (one, mixed):
        stored = json.loads(json.dumps(codec.encode_provenance_map(provenance)))
        assert codec.decode_provenance_map(stored) == provenance
    assert "$cells" in codec.encode_provenance_map(one)
    old_form = {k: codec.encode_provenance(p) for k, p in mixed.items()}
    assert codec.decode_provenance_map(old_form) == mixed


def test_a_roster_rows_provenance_encodes_as_its_provenance_objects_would(tmp_path):
    """The fast encoding of a roster row's provenance equals encoding its Provenance objects,
    whether or not some of them were built before."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(
        ["序号", "企业名称", "统一社会信用代码", "2025年营业收入（万元）", "从业人员（人）"]
    )
    sheet.append([1, "测试精密有限公司", make_uscc(5), "1,200.50", 120])
    sheet.append([2, "测试电子有限公司", make_uscc(6), 980, None])
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    rows = read_applicants([path], 2026).applicants
    assert len(rows) == 2
    rows[1].provenance["name"]  # built before encoding: the same texts must come out
    for row in rows:
        fast = codec.encode_provenance_map(row.provenance)
        assert "$cells" in fast
        assert fast == codec.encode_provenance_map(dict(row.provenance))
        assert codec.decode_provenance_map(fast) == dict(row.provenance)


def test_provenance_rule_of_a_relative_year_round_trips_and_old_rows_still_load():
    """Provenance.rule (how 近一年 was placed) is stored in both forms; rows without it load."""
    rule = "“近一年”读作 2025年：按批次年度 2026年，近一年即上一年度 2025年"
    one = {
        "name": Provenance("a.xlsx", "名单", "B2", "某某公司"),
        "revenue_y1": Provenance("a.xlsx", "名单", "E9", "10500.5", rule=rule),
    }
    mixed = {**one, "uscc": Provenance("a.docx", "表1", "第2行第2列", "X", rule=rule)}
    for provenance in (one, mixed):
        stored = json.loads(json.dumps(codec.encode_provenance_map(provenance)))
        assert codec.decode_provenance_map(stored) == provenance
    old_compact = {"$file": "a.xlsx", "$sheet": "名单", "$cells": {"name": ["B2", "某某公司"]}}
    assert codec.decode_provenance_map(old_compact)["name"].rule is None
    old_item = {"uscc": {"file": "b.csv", "sheet": None, "cell": "B2", "raw": None}}
    assert codec.decode_provenance_map(old_item)["uscc"].rule is None


_STDLIB_TEXT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def test_json_text_writes_what_the_standard_encoder_writes_for_stored_kinds_of_data():
    """A JSON column's text is the standard library's, byte for byte, for what the store
    keeps: Chinese unescaped, quotes, backslashes and control characters escaped."""
    samples = [
        codec.encode_values(
            {"name": "苏州“精工”有限公司\t\n\\", "revenue_y1": Decimal("12.30"), "n": 3, "ok": True}
        ),
        {"parts": [{"text": "营业收入 5000 万元", "gap": None, "points": 7.5, "max": 15}]},
        {"raw": "\x00\x1f\x7f\u2028😀", "empty": [], "nested": {"a": [1, -2, 0.25]}},
        [CriterionState.MET, "a", None],
    ]
    for sample in samples:
        assert codec.json_text(sample) == _STDLIB_TEXT(sample)
    tiny = {"points": [1e-05, 1.5e-07, -2e-06]}  # written otherwise, read back the same
    assert json.loads(codec.json_text(tiny)) == tiny


def test_json_text_falls_back_to_the_standard_encoder_for_what_the_fast_one_refuses():
    """Integer keys, integers beyond 64 bits and a lone surrogate are written as the standard
    library writes them; what neither can write is still a TypeError."""
    for sample in ({1: "a", "b": 2}, {"big": 2**70}, {"raw": "\ud800"}):
        assert codec.json_text(sample) == _STDLIB_TEXT(sample)
    with pytest.raises(TypeError):
        codec.json_text({"when": date(2026, 1, 1)})
    with pytest.raises(TypeError):
        codec.json_text({"amount": Decimal("1.5")})


_STDLIB_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _stdlib_digest(data: object) -> str:
    return hashlib.sha256(_STDLIB_CANONICAL.encode(data).encode("utf-8")).hexdigest()


def test_digest_is_the_sha256_of_the_standard_libraries_sorted_text():
    """A values hash is what earlier zjtx stored (the standard encoder, keys sorted), so a file
    read again is still found unchanged: Chinese, escapes, nested keys, and what the fast
    encoder refuses (integers beyond 64 bits)."""
    rng = random.Random(12)
    alphabet = [chr(i) for i in range(0x80)] + ["\u2028", "\x85", "\ufeff", "中", "😀"]
    samples: list[object] = [
        codec.encode_values(
            {
                "name": "苏州“精工”有限公司\t\n\\",
                "revenue_y1": Decimal("12.30"),
                "founded": date(2001, 2, 3),
                "ok": True,
                "big": 10**30,
            }
        ),
        {"values": "abc", "settings": {"z": True, "a": False}, "confirmations": [["A", "met"]]},
    ]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        samples.append({text: [text, -7, None, {"k" + text: text, "a": 1}], "z": text})
    for sample in samples:
        assert codec.digest(sample) == _stdlib_digest(sample)
    # What the standard encoder refuses is still refused (no hash of a date's own text).
    for refused in ({"founded": date(2001, 2, 3)}, {"amount": Decimal("1.5")}):
        with pytest.raises(TypeError):
            codec.digest(refused)
