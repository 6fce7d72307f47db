"""Values as users give them (form fields, Excel cells) checked and turned into what the store holds.

Every rule comes from the field's declaration (kinds.FieldSpec, derived from the table); a few rules between
fields of one kind (a close date goes with a closing status; nothing ends before it starts) are listed here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from lagesbild.records.config import KnownIds
from lagesbild.records.errors import Problem
from lagesbild.records.kinds import FieldSpec, Kind
from lagesbild.records.words import CHOICES

RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = range(1, 2958466)  # 1900-01-01 .. 9999-12-31
YES = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
NO = {"nej", "n", "no", "false", "falskt", "0"}
LIST_SEPARATORS = re.compile(r"\s*[,;\n]\s*")
# (later, earlier): the later date may not lie before the earlier one.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "actions": (("due_on", "meeting_on"), ("closed_on", "meeting_on")),
    "risks": (("closed_on", "identified_on"),),
    "change_requests": (("decided_on", "submitted_on"),),
}


class Bad(ValueError):
    """One value refused: the reason's key in words.MESSAGES and what fills it in."""

    def __init__(self, reason: str, value: Any = None, **params: Any):
        super().__init__(reason)
        self.reason, self.value, self.params = reason, value, params


def check_record(kind: Kind, values: Mapping[str, Any], ids: KnownIds) -> tuple[dict[str, Any], list[Problem]]:
    """Every field of `values` converted, missing ones defaulted; every problem found, not just the first."""
    clean, problems = {}, []
    for name in values:
        if name not in {f.name for f in kind.fields}:
            problems.append(Problem(name, "unknown_column", name, {"allowed": ", ".join(f.name for f in kind.fields)}))
    for spec in kind.fields:
        try:
            clean[spec.name] = convert(spec, values.get(spec.name), ids, kind)
        except Bad as bad:
            problems.append(Problem(spec.name, bad.reason, bad.value, bad.params))
    if not problems:
        problems += _between_fields(kind, clean)
    return clean, problems


def check_record_id(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text:
        raise Bad("required")
    if not RECORD_ID.fullmatch(text):
        raise Bad("bad_record_id", text)
    return text


def convert(spec: FieldSpec, raw: Any, ids: KnownIds, kind: Kind) -> Any:
    """One value as the store holds it, or Bad."""
    if _blank(raw):
        return _default(spec, kind)
    converted = CONVERTERS[spec.type](raw, spec, ids)
    if spec.choices and not spec.is_list:
        converted = choice_code(spec.choices, converted)
    if spec.range and not spec.range[0] <= converted <= spec.range[1]:
        raise Bad("out_of_range", raw, low=spec.range[0], high=spec.range[1])
    if spec.max_length and len(converted) > spec.max_length:
        raise Bad("too_long", max=spec.max_length)
    return converted


def _default(spec: FieldSpec, kind: Kind) -> Any:
    if spec.required:
        raise Bad("required")
    if spec.is_list:
        if spec.min_items:
            raise Bad("too_few")
        return []
    if spec.type == "boolean":
        return bool(kind.shared_default)
    return None


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def _text(raw: Any, spec: FieldSpec, ids: KnownIds) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _integer(raw: Any, spec: FieldSpec, ids: KnownIds) -> int:
    number = _number(raw, spec, ids, reason="not_integer")
    if not number.is_integer():
        raise Bad("not_integer", raw)
    return int(number)


def _number(raw: Any, spec: FieldSpec, ids: KnownIds, reason: str = "not_number") -> float:
    if isinstance(raw, bool):
        raise Bad(reason, raw)
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = _decimal_point(re.sub(r"[\s\u00a0]|kr$|SEK$", "", str(raw).strip(), flags=re.IGNORECASE))
        try:
            number = float(text)
        except ValueError:
            raise Bad(reason, raw) from None
    if not math.isfinite(number):
        raise Bad(reason, raw)
    return round(number, 2)


def _decimal_point(text: str) -> str:
    """12 345,50 / 12345.50 / 1.234,50 / 1,234.50 -> 12345.50: the last separator is the decimal one."""
    if "," in text and "." in text:
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    return text.replace(",", ".")


def _date(raw: Any, spec: FieldSpec, ids: KnownIds) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer() \
            and int(raw) in EXCEL_SERIALS:
        return EXCEL_EPOCH + timedelta(days=int(raw))  # a date cell formatted as General
    text = str(raw).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise Bad("not_month" if spec.type == "month" else "not_date", raw) from None


def _month(raw: Any, spec: FieldSpec, ids: KnownIds) -> date:
    text = str(raw).strip() if isinstance(raw, str) else None
    if text and re.fullmatch(r"\d{4}-\d{1,2}", text):
        year, month = (int(part) for part in text.split("-"))
        if 1 <= month <= 12:
            return date(year, month, 1)
        raise Bad("not_month", raw)
    return _date(raw, spec, ids).replace(day=1)


def _boolean(raw: Any, spec: FieldSpec, ids: KnownIds) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    for code, entry in CHOICES["yes_no"].items():
        if text in {code, *(w.lower() for w in entry.values())}:
            return code == "yes"
    if text in YES or text in NO:
        return text in YES
    raise Bad("not_yes_no", raw)


def _list(raw: Any, spec: FieldSpec, ids: KnownIds) -> list[str]:
    items = raw if isinstance(raw, list | tuple) else LIST_SEPARATORS.split(str(raw).strip())
    codes = []
    for item in (str(i).strip() for i in items if not _blank(i)):
        code = choice_code(spec.choices, item) if spec.choices else item
        if spec.ids and code not in ids.of(spec.ids):
            raise Bad("unknown_id", item)
        if code not in codes:
            codes.append(code)
    if len(codes) < spec.min_items:
        raise Bad("too_few")
    return codes


def choice_code(choices: str, value: Any) -> str:
    """The code of an allowed value given as its code or its Swedish or English label, in any case."""
    wanted = str(value).strip().casefold()
    for code, labels in CHOICES[choices].items():
        if wanted == code.casefold() or wanted in {text.casefold() for text in labels.values()}:
            return code
    raise Bad("not_allowed", value, allowed=", ".join(e["sv"] for e in CHOICES[choices].values()))


CONVERTERS = {"text": _text, "integer": _integer, "number": _number, "date": _date, "month": _month,
              "boolean": _boolean, "list": _list}


def _between_fields(kind: Kind, values: dict[str, Any]) -> list[Problem]:
    problems = []
    if kind.close_date:
        status, closed_on = values.get("status"), values.get(kind.close_date)
        shown = CHOICES[kind.table.c.status.info["choices"]][status]  # a label: the message picks its language
        if status in kind.closed_statuses and closed_on is None:
            problems.append(Problem(kind.close_date, "needs_close_date", shown))
        elif status in kind.open_statuses and closed_on is not None:
            problems.append(Problem(kind.close_date, "close_date_when_open", shown))
    for later, earlier in DATE_ORDER.get(kind.name, ()):
        if values.get(later) and values.get(earlier) and values[later] < values[earlier]:
            other = {lang: f"{text} {values[earlier].isoformat()}" for lang, text in kind.field(earlier).labels.items()}
            problems.append(Problem(later, "before", values[later].isoformat(), {"other": other}))
    return problems


def stored_form(value: Any) -> Any:
    """A value as JSON holds it, for the record of what changed: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value
