"""Small-count suppression: the one rule for every chart, table, map, tooltip and export.

For the roles in area.yaml's `small_counts` (the partner role by default), a count of people or incidents from 1 to
`minimum - 1` in any cell is not shown: the cell says "<5" (`SMALL`). A total of the cells could still give it away
(the month's total minus the other categories), so in every row and column of the table that holds exactly one
hidden cell, the smallest other non-zero cell is hidden too (`COMPLEMENT`, shown as "dolt"), until no row or column
has a single hidden cell. A real zero stays "0": it says nothing about anyone. Totals shown on their own go through
the same rule (`protect_total`), so a total of 1–4 is "<5" as well.

Who is looking is a `Viewer`: a role and, when the role is one of `small_counts`' roles, the rule. The rule is
applied where data leaves the query layer for a viewer (lagesbild.reads); figures, tables, maps and documents draw a
protected frame's `hidden` column (see `cell_text`): "" where the value is shown, the "<5" token of a small count
(it carries its own threshold) or COMPLEMENT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild.config import SmallCounts
from lagesbild.i18n.formats import fmt_dec

HIDDEN = "hidden"  # the column protect adds: "" shown, a small count's token ("<5") or COMPLEMENT
COMPLEMENT = "complement"
DEFAULT_MINIMUM = 5
DEFAULT_ROLES = frozenset({"partner"})
SMALL = "small"  # the key of a small count's words in TEXT; the reason itself is the rule's token, "<5"
TEXT = {
    "sv": {COMPLEMENT: "dolt",
           "small_hover": "färre än {minimum} (dolt för att skydda enskilda)",
           "complement_hover": "dolt så att en summa inte avslöjar ett litet tal",
           "note": "Tal från 1 till {top} visas som ”<{minimum}”; ”dolt” är ett tal som döljs så att summor inte "
                   "avslöjar dem."},
    "en": {COMPLEMENT: "hidden",
           "small_hover": "fewer than {minimum} (hidden to protect individuals)",
           "complement_hover": "hidden so that a total cannot give away a small count",
           "note": "Counts from 1 to {top} are shown as “<{minimum}”; “hidden” marks a count hidden so that totals "
                   "cannot give them away."},
}


@dataclass(frozen=True)
class Rule:
    minimum: int = DEFAULT_MINIMUM
    roles: frozenset[str] = DEFAULT_ROLES

    def is_small(self, value) -> bool:
        return value is not None and not pd.isna(value) and 0 < float(value) < self.minimum

    @property
    def token(self) -> str:
        """What a small count shows, and the reason it is hidden: '<5'."""
        return f"<{self.minimum}"


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


def protect(frame: pd.DataFrame, dims: Sequence[str], value: str = "value", *, within: Sequence[str] = (),
            rule: Rule | None) -> pd.DataFrame:
    """The frame with small counts hidden: `value` NaN where hidden and a `hidden` column saying why.

    dims: the columns that make a cell (('month', 'category'), ('place_id',), ...); every combination of all but
    one of them is a row or column whose total may be shown, and gets its complementary cell. within: columns that
    split the frame into separate tables whose totals are never added up across them (a survey question's wave).
    rule: the viewer's rule (None: the frame comes back as it was, without a `hidden` column).
    """
    if rule is None or frame.empty:
        return frame
    out = frame.reset_index(drop=True)
    values = pd.to_numeric(out[value], errors="coerce").astype(float).to_numpy()
    reasons = np.zeros(len(out), dtype=np.int8)  # 0 shown, 1 small, 2 complement
    reasons[(values > 0) & (values < rule.minimum)] = 1
    groupings = [[d for d in dims if d != dim] + list(within) for dim in dims] or [list(within)]
    tables = [_groups(out, others) for others in groupings]  # each table's rows (or columns): arrays of row numbers
    changed = bool(reasons.any())
    while changed:
        changed = False
        for groups in tables:
            shut = reasons != 0
            for rows in groups:  # disjoint: a cell hidden in one leaves the others' counts as they were
                if np.count_nonzero(shut[rows]) != 1:
                    continue
                candidates = rows[~shut[rows] & (values[rows] > 0)]
                if candidates.size:
                    reasons[candidates[np.argmin(values[candidates])]] = 2  # the smallest, the first of equals
                    changed = True
    out[value] = np.where(reasons == 0, values, np.nan)
    out[HIDDEN] = np.array(["", rule.token, COMPLEMENT], dtype=object)[reasons]
    return out




def _groups(frame: pd.DataFrame, keys: list[str]) -> list[np.ndarray]:
    """The row numbers of each group of `keys` (every row in one group when there are no keys), in row order."""
    if not keys:
        return [np.arange(len(frame))]
    codes = np.zeros(len(frame), dtype=np.int64)
    for key in keys:  # one code per combination of the keys' values, a missing value a value of its own
        part, uniques = pd.factorize(frame[key], use_na_sentinel=False)
        codes = codes * (len(uniques) + 1) + part
    order = np.argsort(codes, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(codes[order])) + 1)


def protect_columns(frame: pd.DataFrame, dims: Sequence[str], columns: Sequence[str], *,
                    rule: Rule | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """protect for a wide frame (one count per column, e.g. contacts and new persons per month): each column is its
    own table. Returns the frame with hidden values NaN, and a frame of the same shape with each cell's reason."""
    reasons = pd.DataFrame("", index=frame.index, columns=list(columns), dtype=object)
    if rule is None or frame.empty:
        return frame, reasons
    out = frame.copy()
    for column in columns:
        done = protect(frame[list(dims) + [column]].reset_index(drop=True), dims, column, rule=rule)
        out[column] = done[column].to_numpy()
        reasons[column] = done[HIDDEN].to_numpy()
    return out, reasons


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


def protect_total(total, *, rule: Rule | None) -> tuple[float | None, str]:
    """A total shown on its own: (value, "") or (None, '<5') when it is a small count."""
    if rule is not None and rule.is_small(total):
        return None, rule.token
    return total, ""


def is_small_reason(reason: str) -> bool:
    """Whether a hidden cell's reason is a small count ('<5'), not a complement."""
    return bool(reason) and reason != COMPLEMENT


def reason_minimum(reason: str) -> int:
    """The threshold a small count's token names: '<5' -> 5."""
    return int(reason[1:]) if is_small_reason(reason) and reason[1:].isdigit() else DEFAULT_MINIMUM


def cell_text(value, reason: str, lang: str, decimals: int = 0) -> str:
    """What a table cell, a bar label or a number shows: '12 345', '<5' or 'dolt'."""
    if reason == COMPLEMENT:
        return TEXT[_lang(lang)][COMPLEMENT]
    if reason:
        return reason
    return fmt_dec(value, decimals, lang)


def hover_text(reason: str, lang: str) -> str:
    """The longer words for a hidden cell's tooltip."""
    key = f"{COMPLEMENT}_hover" if reason == COMPLEMENT else "small_hover"
    return TEXT[_lang(lang)][key].format(minimum=reason_minimum(reason))


def protection_note(rule: Rule | None, lang: str) -> str | None:
    """The sentence under a page whose numbers are protected, or None for a viewer who sees every number."""
    if rule is None:
        return None
    return TEXT[_lang(lang)]["note"].format(minimum=rule.minimum, top=rule.minimum - 1)


def _lang(lang: str) -> str:
    return lang if lang in TEXT else "sv"
