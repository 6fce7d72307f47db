"""The small-count rule: what a viewer under it (the partner role by default) sees of every count of anyone.

For the roles in area.yaml's `small_counts`, every count of people or incidents in a chart, table, map, tooltip,
caption, export or report is shown as follows (`minimum` is 5 by default):

- a real zero stays 0: it says nothing about anyone;
- a count from 1 to minimum - 1 is not shown: the cell says "<5" (the rule's `token`);
- any other count is rounded to a multiple of `minimum`, up or down at random in proportion to how near it is
  (7 shows as 5 three times in five and as 10 twice: on average the true count), never to 0. Which way is decided
  by the cell's **key**: the sum of the keys of the records in it, each record's key computed from its id and the
  store's secret salt. The same records give the same key, so the same cell shows the same number in every view,
  export and report, and asking again, or asking for the same cell another way, tells nothing new.

This is consistent random rounding keyed by records, in the manner of the cell key method (ABS TableBuilder) and
the random rounding of national statistics offices; docs/methods.md says why, what it protects and what it costs.
Because a total is rounded as its own cell, the difference of two overlapping views is a multiple of the base plus
noise, not the count in between (hiding complementary cells, as an earlier rule did, is then not needed).

The query layer returns, beside every count it aggregates, `cell_key` (the sum of the records' unsalted keys,
`queries.record_key`) and `cell_records` (how many records); sums of cells carry the sums of both. The rule is
applied where data leaves the query layer for a viewer (lagesbild.reads), which gives the rule the store's salt.
Figures, tables and documents draw a protected frame's `hidden` column (see `cell_text`): "" where the value is
shown, the token of a small count, or COMPLEMENT (survey shares only, see `protect_shares`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lagesbild.config import SmallCounts
from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_dec
from lagesbild.store.keys import KEY, KEY_COLUMNS, KEY_MODULUS, KEY_MULTIPLIER, RECORDS

HIDDEN = "hidden"  # the column protect adds: "" shown, a small count's token ("<5") or COMPLEMENT
COMPLEMENT = "complement"
DEFAULT_MINIMUM = 5
DEFAULT_ROLES = frozenset({"partner"})


@dataclass(frozen=True)
class Rule:
    minimum: int = DEFAULT_MINIMUM
    roles: frozenset[str] = DEFAULT_ROLES
    salt: int | None = None  # the store's secret (store_secrets.cell_key_salt), given by lagesbild.reads

    def is_small(self, value) -> bool:
        return value is not None and not pd.isna(value) and 0 < float(value) < self.minimum

    @property
    def token(self) -> str:
        """What a small count shows, and the reason it is hidden: '<5'."""
        return f"<{self.minimum}"

    def salted(self, salt: int) -> Rule:
        return replace(self, salt=int(salt))


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the numbers: a role, and the small-count rule when it applies to that role.

    Everything shown to a viewer is read through lagesbild.reads with the viewer's rule; a reader of every number
    must be made as such (`Viewer.unrestricted`), so no page or document sees unprotected counts by accident."""

    role: str | None
    rule: Rule | None = None

    @classmethod
    def of_role(cls, role: str | None, small_counts: SmallCounts) -> Viewer:
        rule = rule_of(small_counts)
        return cls(role, rule if role in rule.roles else None)

    @classmethod
    def unrestricted(cls, who: str) -> Viewer:
        """A viewer of every number, said out loud: the command line's report run by whoever holds the store."""
        return cls(who, None)

    @property
    def protected(self) -> bool:
        return self.rule is not None

    @property
    def minimum(self) -> int:
        return self.rule.minimum if self.rule else DEFAULT_MINIMUM

    def note(self, lang: str) -> str | None:
        return protection_note(self.rule, lang)


def rule_of(small_counts: SmallCounts) -> Rule:
    """The rule of area.yaml's `small_counts` (lagesbild.config)."""
    return Rule(small_counts.minimum, frozenset(small_counts.roles))


def draws(keys, records, rule: Rule, measure: str | Sequence[str]) -> np.ndarray:
    """Each cell's draw in [0, 1): its records' key sum, salted once per record and offset by the measure (so that
    contacts and new persons of the same shifts are rounded independently), modulo KEY_MODULUS."""
    if rule.salt is None:
        raise ValueError("a rule without the store's salt cannot round: read through lagesbild.reads")
    keys = np.asarray(keys, dtype=np.int64) % KEY_MODULUS
    records = np.asarray(records, dtype=np.int64) % KEY_MODULUS
    offset = (zlib.crc32(measure.encode()) if isinstance(measure, str)
              else np.array([zlib.crc32(m.encode()) for m in measure], dtype=np.int64)) % KEY_MODULUS
    mixed = (keys + records * (rule.salt % KEY_MODULUS) + offset) % KEY_MODULUS
    return ((mixed * KEY_MULTIPLIER) % KEY_MODULUS) / KEY_MODULUS  # int64: both factors < 2**31


def rounded(values, cell_draws, base: int) -> np.ndarray:
    """Counts rounded to a multiple of `base`, up with probability (remainder / base), by each cell's draw.
    Multiples of the base stay; NaN stays NaN. Counts below the base are the caller's (they are hidden)."""
    values = np.asarray(values, dtype=float)
    lower = np.floor(values / base) * base
    remainder = values - lower
    return np.where(remainder == 0, values, np.where(np.asarray(cell_draws) < remainder / base, lower + base, lower))


def _shown(values, keys, records, rule: Rule, measure: str | Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The values as the rule shows them, and each one's reason ("" shown, the token when small)."""
    values = np.asarray(values, dtype=float)
    small = (values > 0) & (values < rule.minimum)
    shown = rounded(values, draws(keys, records, rule, measure), rule.minimum)
    return np.where(small, np.nan, shown), np.where(small, rule.token, "").astype(object)


def _keys_of(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    missing = [column for column in KEY_COLUMNS if column not in frame]
    if missing:
        raise ValueError(f"counts to protect come without {', '.join(missing)}: sum them with the counts "
                         "(lagesbild.queries gives them beside every count)")
    return frame[KEY].fillna(0), frame[RECORDS].fillna(0)


def without_keys(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in KEY_COLUMNS if c in frame])


def protect(frame: pd.DataFrame, value: str = "value", *, rule: Rule | None,
            measure: str | Sequence[str] = "count") -> pd.DataFrame:
    """The frame with each `value` as the rule shows it: rounded, or NaN where small with a `hidden` column saying
    why. The frame must carry its cells' keys (KEY_COLUMNS); they are dropped from what comes back, for every viewer.

    measure: what `value` counts ('count' of records, or the summed column: 'contacts', 'attendance'), or one such
    name per row: the same records' different measures are rounded independently, the same measure the same way
    wherever it is shown.
    rule: the viewer's rule (None: the values come back as they were, without a `hidden` column)."""
    if rule is None:
        return without_keys(frame)
    if frame.empty:
        return without_keys(frame).assign(**{HIDDEN: pd.Series([], dtype=object)})
    out = frame.reset_index(drop=True)
    keys, records = _keys_of(out)
    values = pd.to_numeric(out[value], errors="coerce").astype(float).to_numpy()
    shown, reasons = _shown(values, keys, records, rule, measure)
    return without_keys(out.assign(**{value: shown, HIDDEN: reasons}))


def protect_columns(frame: pd.DataFrame, columns: Sequence[str], *,
                    rule: Rule | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """protect for a wide frame (one count per column, e.g. contacts and new persons per place), each column its own
    measure of the same records. Returns the frame (keys dropped) and a frame of the same shape with each reason."""
    reasons = pd.DataFrame("", index=frame.index, columns=list(columns), dtype=object)
    if rule is None or frame.empty:
        return without_keys(frame), reasons
    keys, records = _keys_of(frame)
    out = frame.copy()
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy()
        out[column], reasons[column] = _shown(values, keys, records, rule, column)
    return without_keys(out), reasons


def protect_total(total, *, rule: Rule | None, key=None, records=None, measure: str = "count",
                  ) -> tuple[float | None, str]:
    """A total shown on its own, as (value, reason): rounded, or (None, '<5') when it is a small count. Under a
    rule the total's cell key (the sums of its records' keys and records) is required."""
    if rule is None or total is None or pd.isna(total):
        return total, ""
    if key is None or records is None:
        raise ValueError("a total to protect comes without its cell key: sum cell_key and cell_records with it")
    shown, reasons = _shown([total], [key], [records], rule, measure)
    return (None if reasons[0] else float(shown[0])), str(reasons[0])


def keyed_total(frame: pd.DataFrame, value: str = "value") -> tuple[float, int, int]:
    """A frame's `value` summed, with its cell key: (total, key, records); a frame without keys (an unrestricted
    read's) gives key and records 0."""
    if frame.empty:
        return 0.0, 0, 0
    total = float(pd.to_numeric(frame[value], errors="coerce").fillna(0).sum())
    key = int(frame[KEY].fillna(0).sum()) if KEY in frame else 0
    records = int(frame[RECORDS].fillna(0).sum()) if RECORDS in frame else 0
    return total, key, records


def share_is_small(share, n, rule: Rule | None) -> bool:
    """Whether a share of n respondents gives away a small count: those who gave the answers (share × n) or
    those who did not, from 1 to minimum - 1. Without n nothing can be said, and the share is shown."""
    if rule is None or share is None or n is None or pd.isna(share) or pd.isna(n) or not n:
        return False
    answered = round(float(share) * float(n))
    return rule.is_small(answered) or rule.is_small(float(n) - answered)


def protect_shares(frame: pd.DataFrame, *, within: Sequence[str] = (), rule: Rule | None) -> pd.DataFrame:
    """Survey rows (`share`, `n`, optionally `ci_low`, `ci_high`, `count`) whose share gives away a small count
    of respondents: share, interval and count NaN, n too when n itself is small, and `hidden` saying so. The
    frame as it was when the current user sees every number.

    within: the columns of one question's answers in one wave (survey, place, question, wave), whose shares add up
    to 100 %: where one answer of such a group is hidden, the answer with the fewest respondents after it is hidden
    too (COMPLEMENT), or 100 % minus the others would give it away.
    """
    if rule is None or frame.empty:
        return frame
    frame = frame.reset_index(drop=True)
    shut = pd.Series([share_is_small(share, n, rule) for share, n in zip(frame["share"], frame["n"], strict=True)],
                     index=frame.index)
    reasons = shut.map({True: rule.token, False: ""})
    if within:
        answered = pd.to_numeric(frame["share"], errors="coerce") * pd.to_numeric(frame["n"], errors="coerce")
        keys = list(within)
        for index in frame.groupby(keys[0] if len(keys) == 1 else keys, dropna=False).groups.values():
            if shut[index].sum() == 1:
                others = answered[index][~shut[index] & (answered[index] > 0)]
                if not others.empty:
                    shut[others.idxmin()] = True
                    reasons[others.idxmin()] = COMPLEMENT
    small_n = frame["n"].map(rule.is_small)
    columns = [name for name in ("share", "ci_low", "ci_high", "count") if name in frame.columns]
    out = frame.assign(**{name: pd.to_numeric(frame[name], errors="coerce").astype(float).where(~shut)
                          for name in columns})
    out["n"] = pd.to_numeric(frame["n"], errors="coerce").astype(float).where(~(shut & small_n))
    out[HIDDEN] = reasons
    return out


def is_small_reason(reason: str) -> bool:
    """Whether a hidden cell's reason is a small count ('<5'), not a complement."""
    return bool(reason) and reason != COMPLEMENT


def reason_minimum(reason: str) -> int:
    """The threshold a small count's token names: '<5' -> 5."""
    return int(reason[1:]) if is_small_reason(reason) and reason[1:].isdigit() else DEFAULT_MINIMUM


def cell_text(value, reason: str, lang: str, decimals: int = 0) -> str:
    """What a table cell, a bar label or a number shows: '12 345', '<5' or 'dolt'."""
    if reason == COMPLEMENT:
        return t("disclosure.complement", lang)
    if reason:
        return reason
    return fmt_dec(value, decimals, lang)


def hover_text(reason: str, lang: str) -> str:
    """The longer words for a hidden cell's tooltip."""
    if reason == COMPLEMENT:
        return t("disclosure.complement_hover", lang)
    return t("disclosure.small_hover", lang, minimum=reason_minimum(reason))


def protection_note(rule: Rule | None, lang: str) -> str | None:
    """The sentence under a page whose numbers are protected, or None for a viewer who sees every number."""
    if rule is None:
        return None
    return t("disclosure.note", lang, minimum=rule.minimum, top=rule.minimum - 1)
