"""Demo appointments for seed_demo."""


def seed_appointments() -> int:
    return 0
