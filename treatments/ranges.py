"""The ranges a procedure's parameters may take, as practice uses them: plain data, no Django.

The database enforces these (CheckConstraints built from this module) and the forms repeat them
so the message sits next to the field. Each range names its source; the full list with the
reasoning is in docs/clinical-rules.md.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PercentRange:
    low: Decimal
    high: Decimal
    source: str

    def __contains__(self, value: Decimal) -> bool:
        return self.low <= value <= self.high

    @property
    def text(self) -> str:
        return f"{_num(self.low)}-{_num(self.high)} %"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


# CROSS: 65 % vs 100 % TCA (Lee et al., Dermatol Surg 2002); 100 % by toothpick (Bhardwaj &
# Khunger, J Cutan Aesthet Surg 2010). Some protocols go lower, hence a warning below 65 % and a
# hard floor at 50 %.
CROSS_TCA = PercentRange(Decimal(50), Decimal(100), "Lee et al. 2002; Bhardwaj & Khunger 2010")
CROSS_TCA_USUAL_FROM = Decimal(65)

# Chemical peels, per agent. Jessner's solution is a fixed formula (resorcinol, salicylic and
# lactic acid, 14 % each in ethanol) graded by coats: it has no concentration to enter.
JESSNER = "jessner"
PEEL_CONCENTRATION: dict[str, PercentRange] = {
    # Superficial glycolic peels 20-70 % (Sharad, Clin Cosmet Investig Dermatol 2013).
    "glycolic": PercentRange(Decimal(20), Decimal(70), "Sharad 2013"),
    # Lactic acid peels up to 92 % (Sachdeva, Indian J Dermatol 2010).
    "lactic": PercentRange(Decimal(10), Decimal(92), "Sachdeva 2010"),
    # Salicylic acid peels 20-30 % (Grimes, Dermatol Surg 1999).
    "salicylic": PercentRange(Decimal(20), Decimal(30), "Grimes 1999"),
    # Pyruvic acid peels 40-70 % (Ghersetich et al., Dermatol Surg 2004).
    "pyruvic": PercentRange(Decimal(40), Decimal(70), "Ghersetich et al. 2004"),
    # TCA peels: 10-30 % superficial, 30-50 % medium, above 50 % deep; above 35 % penetration
    # becomes unpredictable (Brody, Chemical Peeling; docs/clinical-rules.md).
    "tca": PercentRange(Decimal(10), Decimal(70), "Brody"),
    # Jessner's + TCA: the TCA strength of the second step, when recorded.
    "combination": PercentRange(Decimal(10), Decimal(50), "Monheit, J Dermatol Surg Oncol 1989"),
}
TCA_PEEL_UNPREDICTABLE_ABOVE = Decimal(35)
TCA_PEEL_MEDIUM_FROM = Decimal(30)
TCA_PEEL_DEEP_FROM = Decimal(50)

# The laser type fixes the wavelength (DOMAIN facts; device labelling).
LASER_WAVELENGTHS_NM: dict[str, tuple[int, ...]] = {
    "fractional_co2": (10600,),
    "fractional_eryag": (2940,),
    "fully_ablative": (10600, 2940),
    "non_ablative_fractional": (1540, 1550, 1927),
    "picosecond": (532, 755, 1064),
}


def wavelengths_text(wavelengths: tuple[int, ...]) -> str:
    """1,540, 1,550 or 1,927 nm"""
    names = [f"{w:,}" for w in wavelengths]
    if len(names) == 1:
        return f"{names[0]} nm"
    return f"{', '.join(names[:-1])} or {names[-1]} nm"


# Poly-L-lactic acid is reconstituted with sterile water before injection; labelling began at
# 5 mL per vial and practice now uses 8-16 mL.
PLLA_RECONSTITUTION_ML = (Decimal(1), Decimal(20))
