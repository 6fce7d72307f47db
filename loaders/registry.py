"""Every source the loaders know, and how a file's kind and source are told from its content."""

from __future__ import annotations

from pathlib import Path

from loaders.base import Source, match_headers
from loaders.events import EventLog
from loaders.incidents import IncidentLog, PoliceFeed
from loaders.outreach import OutreachShifts
from loaders.read import DEFAULT_MAX_BYTES, RawTable, check_file, read_file
from loaders.surveys import BraNtuWorkbook, SurveyResults

SOURCES: tuple[Source, ...] = (
    PoliceFeed(), IncidentLog(), OutreachShifts(), EventLog(), SurveyResults(), BraNtuWorkbook(),
)
DETECT_THRESHOLD = 0.99  # every required column present
LIKELY_THRESHOLD = 0.6  # most required columns, and more than any other kind has


class DetectionError(ValueError):
    pass


def sources_for(kind: str | None) -> list[Source]:
    return [s for s in SOURCES if kind is None or s.kind == kind]


def read_for(path: Path, kind: str | None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Source, RawTable]:
    """Read the file and pick the source whose columns it has; say what was expected when none fits."""
    check_file(path, max_bytes)
    candidates = sources_for(kind)
    for source in candidates:
        special = getattr(source, "read", None)
        table = special(path) if special else None
        if table is not None:
            return source, table
    table = read_file(path, header_hint=lambda row: max(s.header_score(row) for s in candidates))
    candidates = [s for s in candidates if table.format in s.table_formats] or candidates
    scores = sorted(((s.detect(table), i) for i, s in enumerate(candidates)), reverse=True)
    best_score, best = scores[0][0][0], candidates[scores[0][1]]
    runner_up = scores[1][0][0] if len(scores) > 1 else 0.0
    if best_score >= DETECT_THRESHOLD:
        return best, table
    if best_score >= LIKELY_THRESHOLD and best_score > runner_up:
        return best, table  # clearly this kind with a column missing: the column check names it
    if kind is not None and len(candidates) == 1:
        return best, table  # the user said which kind: let the column check name what is missing
    raise DetectionError(_detection_message(path, table, candidates, kind))


def _detection_message(path: Path, table: RawTable, candidates: list[Source], kind: str | None) -> str:
    lines = [f"{path.name}: could not tell which kind of data this is ({table.detail}; columns: "
             f"{', '.join(repr(h) for h in table.headers[:20]) or 'none'})."]
    for source in candidates:
        if table.format not in source.table_formats:
            continue
        _, missing, _ = match_headers(table.headers, source.fields)
        names = ", ".join(f.headers[0] if f.headers else f.name for f in missing)
        lines.append(f"  {source.kind} ({source.name}) would need: {names}")
    lines.append("Rename the columns, or name the kind with --kind " + (kind or "incidents|outreach|events|surveys")
                 + ".")
    return "\n".join(lines)
