"""GB/T 4754-2017 industry buckets of the statistics page."""

import pytest

from zjtx.export.industry import industry_division, load_classification
from zjtx.scoring.size import load_size_standard


def test_the_division_names_cover_every_division_of_the_size_standard_sections():
    """97 divisions, each in the section the size standard gives its two digits."""
    classification = load_classification()
    assert len(classification.sections) == 20 and len(classification.divisions) == 97
    for low, high, letter in load_size_standard().divisions:
        for number in range(low, high + 1):
            assert classification.divisions[f"{number:02d}"][0] == letter, number


@pytest.mark.parametrize(
    ("code", "bucket"),
    [
        ("C3562", "C35 专用设备制造业"),
        ("3562", "C35 专用设备制造业"),
        ("ｃ３５", "C35 专用设备制造业"),
        ("C3562（工业）", "C35 专用设备制造业"),
        ("0511", "A05 农、林、牧、渔专业及辅助性活动"),
        ("I", "I 信息传输、软件和信息技术服务业"),
        ("I3562", "行业代码无法识别"),
        ("C99", "行业代码无法识别"),
        ("C3", "行业代码无法识别"),
        ("专用设备", "行业代码无法识别"),
        ("  ", "未填写"),
        (None, "未填写"),
    ],
)
def test_codes_reduce_to_their_division(code, bucket):
    """Any way of writing a code gives its division's one label; nonsense is named as such."""
    assert industry_division(code) == bucket
