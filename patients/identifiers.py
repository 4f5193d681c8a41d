"""Medical record numbers: short, readable, and checkable by eye.

Generated MRNs are eight digits in two groups (``4821-3375``); the last digit is a Luhn check digit
so that a mistyped number is caught at the desk rather than opening the wrong chart. Numbers are
random rather than sequential so two desks registering at once cannot race for the same one; the
database's unique constraint is the final guard.
"""

import re
import secrets

MRN_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,19}$")


def luhn_check_digit(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def is_valid_generated_mrn(mrn: str) -> bool:
    digits = mrn.replace("-", "")
    if not (len(digits) == 8 and digits.isdigit()):
        return False
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


def whole_generated_mrn(text: str) -> str | None:
    """The generated MRN `text` spells out in full, with or without its hyphen ("4821-3375",
    "48213375"), as stored; None for anything else (a fragment, a wrong check digit, an
    imported MRN)."""
    mrn = normalise_mrn(text)
    if not re.fullmatch(r"\d{4}-?\d{4}", mrn) or not is_valid_generated_mrn(mrn):
        return None
    digits = mrn.replace("-", "")
    return f"{digits[:4]}-{digits[4:]}"


def new_mrn() -> str:
    body = f"{secrets.randbelow(9_000_000) + 1_000_000}"
    digits = body + str(luhn_check_digit(body))
    return f"{digits[:4]}-{digits[4:]}"


def normalise_mrn(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def phone_digits(phone: str) -> str:
    """Digits only, so '(0161) 555-0134' and '01615550134' find the same patient."""
    return re.sub(r"\D", "", phone)
