"""The cards' status, as indicators.yaml configures it, on simulated months at the sample store's own volumes.

For each count indicator of the bundled indicators.yaml, the baseline year's monthly counts are read from the sample
store; seeded Poisson months with that level and season are drawn for the baseline year and the three years after,
and the reading (lagesbild.indicators.readings.read_monthly, the function Översikt and the lägesrapport use) is taken
each month from the first month whose 12-month window lies wholly after the baseline year. With no true change a
green or red card is chance: at most 5 % of months. With a true 40 % drop the 12-month status is green in at least
80 % of months, where the volume allows it to be told at all (see tests/stats/test_status_simulation.py for the rule
alone at fixed volumes, including 5 a month, where it cannot).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest

from lagesbild.config import load_config
from lagesbild.disclosure import Viewer
from lagesbild.filters import FilterState
from lagesbild.indicators.readings import read_monthly
from lagesbild.reads import Reads
from lagesbild.settings import load_settings

BASELINE = 2022
MONTHS = tuple(date(year, month, 1) for year in range(BASELINE, BASELINE + 4) for month in range(1, 13))
SPAN = (MONTHS[0], MONTHS[-1])
RUNS = 200
# The exact test's false alarms are near its nominal 5 % at about 100 events a year (sprutfynd: 4.4 % over 1000 runs),
# and the months of one run overlap: the check of that share takes more runs than the check of power.
NULL_RUNS = 500
# Below this many events a year, a 40 % drop cannot be told from chance in 80 % of months by any honest test: such an
# indicator is checked for false alarms only.
POWERED_EVENTS_A_YEAR = 90


@pytest.fixture(scope="module")
def volumes(sample_engine):
    """Each monthly count indicator of rows (incidents, activities) and its baseline year, month by month."""
    config = load_config(load_settings({})).indicators
    reads = Reads(sample_engine, Viewer.unrestricted("test"))
    out = {}
    for indicator in config.indicators:
        if indicator.is_survey or indicator.measure.columns:
            continue  # sums (contacts, hours) are over-dispersed by design: not Poisson months
        series = reads._series(indicator.measure, FilterState(), date(2026, 1, 1), counts=False)
        baseline = np.array([series.get(date(BASELINE, m, 1), 0.0) for m in range(1, 13)])
        if baseline.sum() > 0:
            out[indicator.id] = (indicator, baseline)
    return out


def simulate(indicator, baseline: np.ndarray, factor: float, seed: int, runs: int = RUNS) -> Counter:
    """Statuses over all runs and months; the true rate is the baseline year's months times `factor` after it."""
    rng = np.random.default_rng(seed)
    # Smooth the baseline year's own months a little (its count is one draw too) and keep its season.
    level = np.maximum(0.5 * baseline + 0.5 * baseline.mean(), 0.2)
    rates = np.concatenate([level] + [level * factor] * 3)
    ends = MONTHS[12 + indicator.status_window - 1:]
    statuses = Counter()
    for _ in range(runs):
        series = dict(zip(MONTHS, rng.poisson(rates).astype(float).tolist(), strict=True))
        for end in ends:
            reading = read_monthly(indicator, series, SPAN, today=date(end.year + end.month // 12,
                                                                        end.month % 12 + 1, 1))
            statuses[reading.status] += 1
    return statuses


def share(statuses: Counter, *wanted: str) -> float:
    return sum(statuses[s] for s in wanted) / sum(statuses.values())


def test_the_sample_store_has_indicators_at_the_volumes_the_issue_speaks_of(volumes):
    assert {"narkotika_rapporter", "narkotikabrott", "sprutfynd"} <= set(volumes)
    yearly = {key: baseline.sum() for key, (_, baseline) in volumes.items()}
    assert min(yearly.values()) < POWERED_EVENTS_A_YEAR < max(yearly.values()), yearly


def test_no_true_change_gives_a_green_or_red_card_in_at_most_5_percent_of_months(volumes):
    for i, (key, (indicator, baseline)) in enumerate(sorted(volumes.items())):
        statuses = simulate(indicator, baseline, 1.0, seed=100 + i, runs=NULL_RUNS)
        assert share(statuses, "good", "bad") <= 0.05, (key, baseline.sum(), statuses)


def test_a_true_40_percent_drop_is_a_green_card_in_at_least_80_percent_of_months(volumes):
    powered = {key: value for key, value in volumes.items() if value[1].sum() >= POWERED_EVENTS_A_YEAR}
    assert powered
    for i, (key, (indicator, baseline)) in enumerate(sorted(powered.items())):
        factor = 0.6 if indicator.direction == "lower" else 1.0 / 0.6
        statuses = simulate(indicator, baseline, factor, seed=200 + i)
        assert share(statuses, "good") >= 0.80, (key, baseline.sum(), statuses)
        assert statuses["bad"] == 0


def test_below_that_volume_a_40_percent_drop_is_never_red_and_mostly_the_right_way(volumes):
    for i, (key, (indicator, baseline)) in enumerate(sorted(volumes.items())):
        if baseline.sum() >= POWERED_EVENTS_A_YEAR or indicator.direction != "lower":
            continue
        statuses = simulate(indicator, baseline, 0.6, seed=300 + i)
        assert statuses["bad"] == 0, (key, statuses)
