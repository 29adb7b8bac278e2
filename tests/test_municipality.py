"""Municipality codes (全国地方公共団体コード): the check digit, and the packaged list of prefectures."""

from __future__ import annotations

import pytest

from gapcheck.core.municipality import (
    check_digit,
    code_issue,
    is_prefecture,
    prefecture_of,
    prefectures,
    with_check_digit,
)


@pytest.mark.parametrize("code", ["131016", "084433", "999997", "010006", "080004", "130001", "470007"])
def test_real_and_sample_codes_have_a_right_check_digit(code: str) -> None:
    assert check_digit(code[:5]) == code[5]
    assert code_issue(code) is None


def test_the_check_digit_is_the_last_digit_of_eleven_minus_the_weighted_sum() -> None:
    # 99999: 9 * (6+5+4+3+2) = 180; 180 mod 11 = 4; 11 - 4 = 7.
    assert check_digit("99999") == "7"
    # A weighted sum divisible by 11 gives 11, whose last digit is 1: 99000 -> 54 + 45 = 99.
    assert check_digit("99000") == "1"
    # A remainder of 1 gives 10, whose last digit is 0: 00300 -> 3 * 4 = 12.
    assert check_digit("00300") == "0"
    assert with_check_digit("999999") == "999997"


@pytest.mark.parametrize(("code", "problem"), [
    ("999999", "municipality-code-check-digit"), ("131017", "municipality-code-check-digit"),
    ("489999", "municipality-code-prefecture"), ("13101", "municipality-code-invalid"),
    ("13101a", "municipality-code-invalid"), ("１３１０１６", "municipality-code-invalid"),
])
def test_wrong_codes_say_what_is_wrong(code: str, problem: str) -> None:
    issue = code_issue(code)
    assert issue is not None and issue[0] == problem


def test_the_47_prefectures_and_the_fictional_one() -> None:
    prefs = prefectures()
    real = [p for c, p in prefs.items() if c != "99"]
    assert len(real) == 47 and [p.code for p in real] == [f"{n:02d}" for n in range(1, 48)]
    assert len({p.name for p in real}) == 47
    assert all(p.lg_code == p.code + "000" + check_digit(p.code + "000") for p in real)
    assert prefs["08"].name == "茨城県" and prefs["08"].lg_code == "080004"
    assert prefs["13"].name == "東京都" and prefs["47"].name == "沖縄県"
    assert prefs["99"].name == "架空" and prefs["99"].lg_code is None
    assert prefecture_of("084433").name == "茨城県"  # type: ignore[union-attr]
    assert is_prefecture("080004") and not is_prefecture("084433")
