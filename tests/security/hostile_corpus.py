"""The hostile-input corpus: each case is a name, the content (a cell, a URL, a file name) and the expected outcome.

Outcomes: ESCAPED (stored as it came and shown as literal text: never HTML, never script), NEUTRALISED (written
with a leading single quote in CSV), NOTICE (the page answers 200 with a visible notice, the store untouched),
REFUSED (a clear 400), LITERAL (a file name stored and shown as it is, nothing written elsewhere).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

ESCAPED, NEUTRALISED, NOTICE, REFUSED, LITERAL = "escaped", "neutralised", "notice", "refused", "literal"


@dataclass(frozen=True)
class Case:
    name: str
    content: str
    expected: str  # one of the outcomes above; for formula cells, the cell as written to CSV


# ---- script and HTML in free text: incident summaries, event titles, outreach notes, place names ----

MARKUP = [
    Case("script-tag", "<script>alert(1)</script>", ESCAPED),
    Case("img-onerror", "<img src=x onerror=alert(1)>", ESCAPED),
    Case("attribute-breakout-svg", '"><svg onload=alert(1)>', ESCAPED),
    Case("javascript-url", "javascript:alert(1)", ESCAPED),
    Case("plotly-hover-link", '<a href="javascript:alert(1)">x</a>', ESCAPED),
    Case("plotly-bold", "<b>fet</b> <i>kursiv</i>", ESCAPED),
    Case("template-literal", "`${alert(1)}` \\u003cscript\\u003e", ESCAPED),
    Case("closing-script", "</script><script>alert(1)</script>", ESCAPED),
    Case("entity-encoded-tags", "&lt;b&gt;fet&lt;/b&gt; &lt;a href=\"javascript:alert(1)\"&gt;y&lt;/a&gt;", ESCAPED),
    Case("server-template", "{{ 7*7 }} {{ config }} {% if 1 %}jinja{% endif %}", ESCAPED),  # folium renders Jinja
]
# Shown in pages: each marked so a test can find it (the place names only reach the load report).
SUMMARIES = [f"XSS-{c.name} {c.content}" for c in MARKUP]
TITLES = [f"T-{c.name} {c.content}" for c in MARKUP]
OUTREACH_NOTES = [f"N-{c.name} {c.content}" for c in MARKUP]
UNKNOWN_PLACES = [f"P-{c.name} {c.content}" for c in MARKUP[:3]]
INJECTED = ["img[src=x]", "svg[onload]", "script:not([src]):not([type])[data-hostile]", "a[href^='javascript']",
            "[onerror]", "[onload]"]

# ---- spreadsheet formulas in anything exported as CSV ----

FORMULA_CELLS = [
    Case("equals", "=1+1", "'=1+1"),
    Case("hyperlink", '=HYPERLINK("http://evil","klicka")', "'=HYPERLINK(\"http://evil\",\"klicka\")"),
    Case("dde", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    Case("plus", "+1+1", "'+1+1"),
    Case("minus", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    Case("at", "@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    Case("tab", "\t=1+1", "'\t=1+1"),
    Case("carriage-return", "\r=1+1", "'\r=1+1"),
    Case("negative-number-text", "-12", "-12"),
    Case("plain", "Klotter på muren", "Klotter på muren"),
]

# ---- SQL and path tricks in URL parameters and export routes ----

PAGES = ["/", "/handelser", "/uppsokande", "/aktiviteter", "/trygghet", "/karta", "/data"]
URL_QUERIES = [
    Case("sql-place", "?place=' OR 1=1--", NOTICE),
    Case("sql-month", "?from=2024-01'; DROP TABLE incidents;--", NOTICE),
    Case("sql-both", "?place=' OR 1=1--&from=2024-01'; DROP TABLE incidents;--&to=2025-13", NOTICE),
    Case("union", "?place=x' UNION SELECT summary FROM incidents--", NOTICE),
    Case("path-place", "?place=../../etc/passwd", NOTICE),
    Case("markup-place", "?place=<script>alert(1)</script>&to=<img src=x onerror=alert(1)>", NOTICE),
    Case("repeated-and-odd", "?place=%00&place=tantolunden&from=99999-99&lang=xx", NOTICE),
]
EXPORT_ROUTES = [
    Case("pdf-traversal", "/export/page.pdf?path=../../etc/passwd", REFUSED),
    Case("pdf-absolute", "/export/page.pdf?path=/etc/passwd", REFUSED),
    Case("pdf-offsite", "/export/page.pdf?path=http://evil.example/", REFUSED),
    Case("pdf-protocol-relative", "/export/page.pdf?path=//evil.example/", REFUSED),
    Case("caption-offsite", "/export/caption?path=http://evil", REFUSED),
    Case("caption-traversal", "/export/caption?path=../../etc/passwd", REFUSED),
]

# ---- file names given to the loader ----

FILE_NAMES = [
    Case("dot-dot", "../../x.csv", LITERAL),  # given as a path: the file is read where it is, named x.csv
    Case("quotes", "est \"rapport\" 'juni'.csv", LITERAL),
    Case("newline", "est\nrapport.csv", LITERAL),
    Case("markup", "<img src=x onerror=alert(1)>.csv", LITERAL),
    Case("sql", "x'; DROP TABLE loads;--.csv", LITERAL),
]


# ---- the files ----

EST_HEADER = ["Datum", "Tid", "Plats", "Latitud", "Longitud", "Kategori", "Rapportör organisation", "Bedömning",
              "Fritext"]
EVENT_HEADER = ["Datum", "Starttid", "Sluttid", "Plats", "Titel", "Kategori", "Arrangör", "Antal deltagare",
                "Kostnad (kr)", "Föreningsbidrag (kr)", "Beskrivning"]
OUTREACH_HEADER = ["Datum", "Start", "Slut", "Team", "Plats", "Typ av pass", "Antal kontakter", "Nya personer",
                   "Hänvisning beroendevård", "Hänvisning psykiatri", "Hänvisning boende",
                   "Hänvisning hälso- och sjukvård", "Hänvisning socialtjänst", "Hänvisning övrigt", "Timmar",
                   "Kommentar"]
BAD_DATE = "<img src=x onerror=alert(1)>"  # a row the loader rejects: its reason is shown on the Data page


def _csv(rows: list[list], delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def incidents_csv() -> bytes:
    """EST reports, newest in the sample (so in the latest-50 table), with hostile summaries and places."""
    rows = [EST_HEADER]
    for i, summary in enumerate(SUMMARIES):
        rows.append(["2025-12-31", f"23:{10 + i:02d}", "Tantolunden", "59,311928", "18,045520", "Klotter",
                     "Parkförvaltningen", "Låg", summary])
    for i, place in enumerate(UNKNOWN_PLACES):
        rows.append(["2025-12-30", f"22:{10 + i:02d}", place, "", "", "Nedskräpning", "Parkförvaltningen", "Låg",
                     f"Okänd plats {i}"])
    rows.append([BAD_DATE, "", "Tantolunden", "", "", "Klotter", "Parkförvaltningen", "Låg", "Avvisad rad"])
    return _csv(rows, ";", "cp1252")


def events_csv() -> bytes:
    """Measures (on the timeline and the map) and activities with hostile titles and descriptions."""
    rows = [EVENT_HEADER]
    for i, (title, note) in enumerate(zip(TITLES, SUMMARIES, strict=True)):
        rows.append([f"2025-{11 + i % 2:02d}-{10 + i:02d}", "13:00", "15:00", "Tantolunden", title, "Stadsmiljöåtgärd",
                     f"Org {title}", "10", "", "", note])
    return _csv(rows, ",", "utf-8-sig")


def outreach_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Uppsökande arbete – passrapporter"])
    sheet.append([])
    sheet.append(OUTREACH_HEADER)
    for i, note in enumerate(OUTREACH_NOTES):
        sheet.append([f"2025-12-{20 + i:02d}", "19:00", "22:00", f"Team {note}", "Hornstull", "Uppsökande pass",
                      3, 1, 0, 0, 0, 0, 0, 0, 3, note])
    workbook.save(path)
    return path


def write_hostile_files(directory: Path) -> list[Path]:
    """The hostile files, one per kind, the incident file under a name that is itself hostile markup."""
    directory.mkdir(parents=True, exist_ok=True)
    est = directory / "est_rapporter <img src=x onerror=alert(1)> \"q\" 'x'.csv"
    est.write_bytes(incidents_csv())
    events = directory / "aktiviteter_atgarder_hostile.csv"
    events.write_bytes(events_csv())
    return [est, events, outreach_xlsx(directory / "uppsokande_pass_hostile.xlsx")]
