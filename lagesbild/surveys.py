"""Survey facts that reads, readings and figures share: the published survey (BRÅ's NTU) and its tables, the answers
behind the two survey indicators, and the 95 % Wilson interval of a share."""

from __future__ import annotations

import math

import pandas as pd

Z95 = 1.959964
# Answers that make up the two survey indicators (DOMAIN.md: feel unsafe; see drugs as a problem).
UNSAFE_ANSWERS = ("Ganska otrygg", "Mycket otrygg")
DRUG_PROBLEM_ANSWERS = ("Ja, ett stort problem", "Ja, ett litet problem")
INDICATORS = {"otrygghet": UNSAFE_ANSWERS, "problem_narkotika": DRUG_PROBLEM_ANSWERS}
# BRÅ's NTU is published statistics with BRÅ's own suppression codes: shown as published, to every role.
NTU_SURVEY = "BRÅ NTU"
NTU_TABLES = {"ntu-3.1": "otrygghet", "ntu-3.23": "problem_narkotika", "ntu-3.20": "problem_berusade"}
NTU_AREA, NTU_CITY = "Stadsdelsomr. Södermalm", "Stockholm"
NTU_CODES = ("..", "x")  # BRÅ: '..' not available, 'x' fewer than 100 respondents (no value published)


def wilson_interval(share: float | None, n: int | None) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of a share from n respondents (sound for small samples and for shares near 0
    or 1); None without a share or n. The survey loader stores the same interval per answer."""
    if share is None or not n or n <= 0:
        return None
    denominator = 1 + Z95**2 / n
    centre = (share + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(share * (1 - share) / n + Z95**2 / (4 * n**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def with_interval(frame: pd.DataFrame) -> pd.DataFrame:
    """Summed shares (queries.survey_answer_share) with the 95 % interval of the sum, from its n (NaN without)."""
    bounds = [wilson_interval(share, n) or (math.nan, math.nan) for share, n in zip(frame["share"], frame["n"],
                                                                                      strict=True)]
    return frame.assign(ci_low=[low for low, _ in bounds], ci_high=[high for _, high in bounds])
