"""GB 32100-2015 统一社会信用代码: weights, check character and validation messages."""

import pytest

from zjtx.domain.uscc import (
    WEIGHTS,
    check_character,
    org_code_check,
    org_code_warning,
    validate_uscc,
)


def test_weights_are_powers_of_three_mod_31():
    """The 17 weights are 3^(i-1) mod 31 as printed in the standard."""
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_standard_worked_example_is_rejected_and_corrected():
    """91350100M000100Y4Z: Σ=1640, 1640 mod 31 = 28, so the check character is 3, not Z."""
    assert check_character("91350100M000100Y4") == "3"
    problem = validate_uscc("91350100M000100Y4Z")
    assert problem is not None
    assert problem.code == "uscc-check-character"
    assert "应为“3”" in problem.message
    assert validate_uscc("91350100M000100Y43") is None


@pytest.mark.parametrize("code", ["91110108551385082Q", "91110000600037341L"])
def test_real_codes_validate(code):
    """Published real codes (小米科技 and another) pass the check."""
    assert validate_uscc(code) is None


def test_sum_divisible_by_31_gives_zero_not_index_31():
    """When Σ mod 31 = 0 the raw 31 wraps to 0 (libraries indexing alphabet[31 - r] crash)."""
    prefix = "91350100MA0000023"
    total = sum(
        "0123456789ABCDEFGHJKLMNPQRTUWXY".index(c) * w for c, w in zip(prefix, WEIGHTS, strict=True)
    )
    assert total % 31 == 0
    assert check_character(prefix) == "0"
    assert validate_uscc(prefix + "0") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("9135010", "uscc-length"),
        ("91350100M000100Y4321", "uscc-length"),
        ("91350100I000100Y43", "uscc-characters"),
        ("91350100m000100Y43", "uscc-characters"),
        ("913501A0M000100Y43", "uscc-structure"),
        ("91350100M000100Y44", "uscc-check-character"),
    ],
)
def test_invalid_codes_name_the_problem(code, expected):
    """Wrong length, letters I/O/Z/S/V or lower case, region code and check each get a code."""
    problem = validate_uscc(code)
    assert problem is not None
    assert problem.code == expected
    assert code in problem.message


def test_embedded_organisation_code_check():
    """GB 11714 check of positions 9–16: 55138508 → 2 and 60003734 → 1; a mismatch warns."""
    assert org_code_check("55138508") == "2"
    assert org_code_check("60003734") == "1"
    assert org_code_warning("91110108551385082Q") is None
    bad = "91110108551385081" + check_character("91110108551385081")
    assert validate_uscc(bad) is None
    assert "第 17 位" in org_code_warning(bad)
