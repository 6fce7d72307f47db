"""Sample file 6: the project's own safety surveys (CSV), small samples per wave."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from lagesbild.samples.draw import decimal_comma
from lagesbild.samples.story import AREA, LAST_STORY_YEAR, STORY_END, SURVEY_HEADER

# --- surveys ------------------------------------------------------------------------------------------------

QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "otrygg_kvall": ("Hur trygg skulle du känna dig om du gick ensam i området sent en kväll?",
                     ("Mycket trygg", "Ganska trygg", "Ganska otrygg", "Mycket otrygg", "Går aldrig ut")),
    "problem_narkotika": ("Är försäljning eller bruk av narkotika ett problem i området?",
                          ("Ja, ett stort problem", "Ja, ett litet problem", "Nej", "Vet inte")),
}
# (survey, wave, last fieldwork day, place, n range, answer shares per question, shares only?)
SURVEY_WAVES: tuple[tuple[str, str, str, str, tuple[int, int], dict[str, tuple[float, ...]], bool], ...] = (
    ("Polisens trygghetsmätning", "2021", "2021-10-15", AREA, (116, 116),
     {"otrygg_kvall": (0.18, 0.40, 0.25, 0.11, 0.06), "problem_narkotika": (0.35, 0.30, 0.15, 0.20)}, True),
    ("Polisens trygghetsmätning", "2022", "2022-10-14", AREA, (110, 130),
     {"otrygg_kvall": (0.14, 0.36, 0.29, 0.15, 0.06), "problem_narkotika": (0.45, 0.28, 0.10, 0.17)}, False),
    ("Polisens trygghetsmätning", "2023", "2023-10-13", AREA, (110, 130),
     {"otrygg_kvall": (0.16, 0.39, 0.27, 0.12, 0.06), "problem_narkotika": (0.40, 0.30, 0.12, 0.18)}, False),
    ("Polisens trygghetsmätning", "2024", "2024-10-11", AREA, (110, 130),
     {"otrygg_kvall": (0.20, 0.43, 0.22, 0.09, 0.06), "problem_narkotika": (0.30, 0.33, 0.17, 0.20)}, False),
    ("Polisens trygghetsmätning", "2025", "2025-10-10", AREA, (110, 130),
     {"otrygg_kvall": (0.22, 0.45, 0.20, 0.08, 0.05), "problem_narkotika": (0.25, 0.33, 0.22, 0.20)}, False),
    ("Platsmätning Tantolunden", "2023-05", "2023-05-12", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.08, 0.30, 0.32, 0.22, 0.08), "problem_narkotika": (0.58, 0.25, 0.07, 0.10)}, False),
    ("Platsmätning Tantolunden", "2023-09", "2023-09-22", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.12, 0.36, 0.30, 0.16, 0.06), "problem_narkotika": (0.48, 0.30, 0.10, 0.12)}, False),
    ("Platsmätning Tantolunden", "2024-09", "2024-09-20", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.16, 0.42, 0.26, 0.11, 0.05), "problem_narkotika": (0.36, 0.34, 0.16, 0.14)}, False),
    ("Platsmätning Tantolunden", "2025-09", "2025-09-19", "Tantolunden", (40, 80),
     {"otrygg_kvall": (0.20, 0.45, 0.22, 0.09, 0.04), "problem_narkotika": (0.30, 0.35, 0.22, 0.13)}, False),
    ("Platsmätning Drakenbergsparken", "2023-05", "2023-05-12", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.10, 0.32, 0.31, 0.19, 0.08), "problem_narkotika": (0.52, 0.28, 0.08, 0.12)}, False),
    ("Platsmätning Drakenbergsparken", "2023-09", "2023-09-22", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.15, 0.38, 0.28, 0.13, 0.06), "problem_narkotika": (0.42, 0.32, 0.12, 0.14)}, False),
    ("Platsmätning Drakenbergsparken", "2024-09", "2024-09-20", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.19, 0.44, 0.24, 0.09, 0.04), "problem_narkotika": (0.32, 0.35, 0.19, 0.14)}, False),
    ("Platsmätning Drakenbergsparken", "2025-09", "2025-09-19", "Drakenbergsparken", (40, 80),
     {"otrygg_kvall": (0.22, 0.46, 0.21, 0.08, 0.03), "problem_narkotika": (0.27, 0.36, 0.24, 0.13)}, False),
)

# === 6. safety surveys ======================================================================================


def _apportion(rng: random.Random, n: int, shares: tuple[float, ...]) -> list[int]:
    """Answer counts close to the shares (largest remainder), plus a couple of respondents' worth of noise.

    Full multinomial noise at n = 40–130 would hide the story the sample data is meant to tell.
    """
    exact = [n * share / sum(shares) for share in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    for _ in range(2):
        give, take = rng.sample(range(len(counts)), 2)
        if counts[give] > 0:
            counts[give] -= 1
            counts[take] += 1
    return counts


def waves_until(until: date) -> list[tuple]:
    """The story's waves, and after its last year the police's yearly wave each October, answered as in the last."""
    waves = list(SURVEY_WAVES)
    last = next(wave for wave in reversed(SURVEY_WAVES) if wave[0] == "Polisens trygghetsmätning")
    for year in range(LAST_STORY_YEAR + 1, until.year + 1):
        waves.append((last[0], str(year), f"{year}-10-09", *last[3:]))
    return [wave for wave in waves if wave[2] <= until.isoformat()]


def write_surveys(path: Path, rng: random.Random, _scale: float, until: date = STORY_END) -> None:
    # Survey rows are one per wave, place, question and answer: scale does not multiply them.
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SURVEY_HEADER)
        for survey, wave, day, place, n_range, shares, shares_only in waves_until(until):
            for code, (question, answers) in QUESTIONS.items():
                n = rng.randint(*n_range)
                for answer, count in zip(answers, _apportion(rng, n, shares[code]), strict=True):
                    antal, andel = ("", decimal_comma(100 * count / n, 1)) if shares_only else (str(count), "")
                    writer.writerow([survey, wave, day, place, code, question, answer, antal, andel, n])


