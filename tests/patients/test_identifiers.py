"""Medical record numbers and phone numbers as the desk types them. Pure functions, no database."""

import re

import pytest

from patients.identifiers import (
    MRN_PATTERN,
    is_valid_generated_mrn,
    luhn_check_digit,
    new_mrn,
    normalise_mrn,
    phone_digits,
)


@pytest.mark.parametrize(
    ("payload", "check_digit"),
    [
        ("7992739871", 3),  # the worked example in ISO/IEC 7812-1
        ("49015420323751", 8),  # IMEI 49015420323751-8
        ("411111111111111", 1),  # the Visa test card 4111 1111 1111 1111
        ("0", 0),
        ("1", 8),
        ("123456", 6),
        ("4821337", 5),
    ],
)
def test_luhn_check_digit_known_values(payload, check_digit):
    assert luhn_check_digit(payload) == check_digit


@pytest.mark.parametrize("mrn", ["4821-3375", "1000-0008", "9999-9997"])
def test_mrn_with_correct_check_digit_is_valid(mrn):
    assert is_valid_generated_mrn(mrn) is True


@pytest.mark.parametrize(
    "mrn",
    [
        "4821-3374",  # wrong check digit
        "4821-337",  # seven digits
        "4821-33750",  # nine digits
        "ABCD-3375",  # letters
        "",
    ],
)
def test_mrn_that_is_not_a_generated_number_is_invalid(mrn):
    assert is_valid_generated_mrn(mrn) is False


def test_any_single_mistyped_digit_is_caught():
    mrn = "4821-3375"
    positions = [i for i, char in enumerate(mrn) if char.isdigit()]
    for position in positions:
        for digit in "0123456789":
            if digit == mrn[position]:
                continue
            typo = mrn[:position] + digit + mrn[position + 1 :]
            assert is_valid_generated_mrn(typo) is False, typo


@pytest.mark.parametrize("swapped", ["8421-3375", "4281-3375", "4812-3375", "4823-1375"])
def test_two_neighbouring_digits_typed_the_wrong_way_round_are_caught(swapped):
    assert is_valid_generated_mrn(swapped) is False


def test_new_mrn_is_always_eight_digits_in_two_groups_with_a_valid_check_digit():
    for _ in range(200):
        mrn = new_mrn()
        assert re.fullmatch(r"[1-9]\d{3}-\d{4}", mrn), mrn
        assert is_valid_generated_mrn(mrn), mrn
        assert MRN_PATTERN.match(mrn), mrn


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("(0161) 555-0134", "01615550134"),
        ("01615550134", "01615550134"),
        ("+44 7700 900123", "447700900123"),
        ("07700 900 123 ext. 4", "077009001234"),
        ("", ""),
        ("no phone", ""),
    ],
)
def test_phone_digits_keeps_only_digits(typed, digits):
    assert phone_digits(typed) == digits


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ab-123", "AB-123"),
        ("  ab -12 3\t", "AB-123"),
        ("4821 3374", "48213374"),
        ("AB-123", "AB-123"),
        ("", ""),
    ],
)
def test_normalise_mrn_upper_cases_and_drops_whitespace(typed, normalised):
    assert normalise_mrn(typed) == normalised
