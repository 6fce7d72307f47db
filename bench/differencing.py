"""Print how much a partner recovers of the counts that the small-count rule hides, by differencing views.

For a seeded sample of the store's hidden cells (one place, month and category with 1–4 incidents) it asks, as the
partner role, for pairs of totals that differ by that cell alone, and answers per cell:

- mode: the most common difference (the attack tests/security/test_differencing.py bounds);
- mean: the mean of the differences, rounded (rounding is unbiased, so the mean of many independent differences
  tends to the count: the attack random rounding cannot stop, only make expensive);

each with the pairs of the test (24 per cell) and with every pair this script can build (month windows up to two
years either side, every set of other categories, sets of other places, and double differences). Beside them the
same attacks against the rule as it was (exact totals, only 1–4 hidden). Figures, not a test: see docs/methods.md.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from statistics import mean

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lagesbild.config import load_config  # noqa: E402
from lagesbild.dates import add_months  # noqa: E402
from lagesbild.demo import build_demo_store  # noqa: E402
from lagesbild.disclosure import Viewer  # noqa: E402
from lagesbild.reads import Reads  # noqa: E402
from lagesbild.settings import load_settings, sqlite_url  # noqa: E402
from lagesbild.store.db import make_engine, upgrade  # noqa: E402
from tests.security.test_differencing import hidden_cells, pairs, partner_total, suppression_only_total  # noqa: E402


def many_pairs(cell, places: list[str], categories: list[str], limit: int):
    """Every kind of pair the filters allow, up to `limit`: (terms to add, terms to subtract), each a view."""
    place, month, category, _ = cell
    one, this = (place,), (category,)
    found = []
    for k in range(1, 25):
        before, after = add_months(month, -k), add_months(month, k)
        found.append(([(one, before, month, this)], [(one, before, add_months(month, -1), this)]))
        found.append(([(one, month, after, this)], [(one, add_months(month, 1), after, this)]))
    others = [c for c in categories if c != category]
    for size in range(1, len(others) + 1):
        for chosen in itertools.combinations(others, size):
            found.append(([(one, month, month, this + chosen)], [(one, month, month, chosen)]))
    neighbours = [p for p in places if p != place]
    for size in (1, 2, 3):
        for chosen in itertools.combinations(neighbours, size):
            found.append(([(one + chosen, month, month, this)], [(chosen, month, month, this)]))
    for k, chosen in itertools.product(range(1, 7), neighbours):  # double differences: window and place
        window = (add_months(month, -k), month)
        before = (add_months(month, -k), add_months(month, -1))
        found.append(([(one + (chosen,), *window, this), ((chosen,), *before, this)],
                      [(one + (chosen,), *before, this), ((chosen,), *window, this)]))
    random.Random(str(cell)).shuffle(found)
    return found[:limit]


def differences(cell, total, built) -> list[float]:
    out = []
    for plus, minus in built:
        values = [total(*view) for view in plus + minus]
        if all(v is not None for v in values):
            out.append(sum(values[: len(plus)]) - sum(values[len(plus):]))
    return out


def rates(cells, total, places, categories, limit: int | None) -> tuple[float, float, float]:
    """Share of cells the mode and the mean recover, and the pairs used per cell (median)."""
    by_mode = by_mean = 0
    used = []
    for cell in cells:
        if limit is None:
            built = [([a], [b]) for a, b in pairs(cell, places, categories)]
        else:
            built = many_pairs(cell, places, categories, limit)
        found = differences(cell, total, built)
        used.append(len(found))
        if found:
            by_mode += Counter(round(d) for d in found).most_common(1)[0][0] == cell[3]
            by_mean += round(mean(found)) == cell[3]
    return by_mode / len(cells), by_mean / len(cells), sorted(used)[len(used) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="the store (SQLAlchemy URL); default: the sample store, built in a temp dir")
    parser.add_argument("--limits", type=int, nargs="+", default=[100, 400, 1600],
                        help="pairs per cell for the larger attacks")
    args = parser.parse_args()
    if args.db:
        url = args.db
        upgrade(url)
    else:
        url = sqlite_url(Path(tempfile.mkdtemp()) / "store.sqlite")
        build_demo_store(url)
    engine = make_engine(url)
    config = load_config(load_settings({}))
    everything = Reads(engine, Viewer.unrestricted("bench"))
    partner = Reads(engine, Viewer.of_role("partner", config.area.small_counts))
    places = [p["id"] for p in everything.places()]
    categories = sorted(everything.categories_present("incidents"))
    cells = hidden_cells(engine)
    print(f"{len(cells)} hidden cells of {url}")
    print(f"{'rule':<22}{'pairs/cell':>12}{'mode recovers':>16}{'mean recovers':>16}{'seconds':>10}")
    for name, total in (("hide 1-4 only", suppression_only_total(everything)),
                        ("hide 1-4, round by key", partner_total(partner))):
        for limit in (None, *args.limits):
            started = time.perf_counter()
            mode, average, used = rates(cells, total, places, categories, limit)
            print(f"{name:<22}{used:>12}{mode:>16.0%}{average:>16.0%}{time.perf_counter() - started:>10.1f}")


if __name__ == "__main__":
    main()
