"""What a viewer may see of the store: every read of a page, map, caption, export or report goes through here.

`Reads(engine, viewer)` runs the query layer (lagesbild.queries) and applies the viewer's small-count rule
(lagesbild.disclosure) before anything is returned; the dashboard, the renderers and the report never import the
query layer (import-linter contracts in pyproject.toml), so a page that forgets the rule cannot be written. A reader
of every number is made on purpose, with `Viewer.unrestricted`.
"""

from __future__ import annotations

from lagesbild.reads.activity import OUTREACH_SUMS, PEOPLE, ActivityReads
from lagesbild.reads.base import COUNTS_OF_ANYONE, REFERRAL_KINDS, REFERRALS, Withheld, counts_anyone
from lagesbild.reads.effect import EffectReads
from lagesbild.reads.indicators import IndicatorReads
from lagesbild.reads.map import MAX_POINTS, MapData, MapReads
from lagesbild.reads.store import REJECTED_HIDDEN, StoreReads, hidden_of
from lagesbild.reads.surveys import SurveyAnswers, SurveyReads

__all__ = ["COUNTS_OF_ANYONE", "MAX_POINTS", "OUTREACH_SUMS", "PEOPLE", "REFERRAL_KINDS", "REFERRALS",
           "REJECTED_HIDDEN", "MapData", "Reads", "SurveyAnswers", "Withheld", "counts_anyone", "hidden_of"]


class Reads(EffectReads, ActivityReads, SurveyReads, StoreReads, MapReads, IndicatorReads):
    """Every public read, for one viewer."""
