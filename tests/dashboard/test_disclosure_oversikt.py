"""Small counts on Översikt and in the lägesrapport: the readings (cards, report table, sparklines) hide a count of
1 to 4 for the partner role, with the changes and the status that would give it away; the styrgrupp and the CLI
see every number."""

from __future__ import annotations

import base64
import importlib
import io
import re
from datetime import date

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn

from lagesbild.charts.theme import STATUS_COLOURS
from lagesbild.config import ConfigError, load_config
from lagesbild.config.indicators import Effort, Indicator, Measure, check_indicators
from lagesbild.disclosure import Rule, protect_shares
from lagesbild.filters import FilterState
from lagesbild.indicators.readings import (
    HIDDEN_STATUS,
    Point,
    monthly_outcome,
    read_monthly,
    read_survey,
    survey_outcome,
    waves,
    with_effort,
)
from lagesbild.render.report import report_bytes
from lagesbild.render.report_html import render_html
from lagesbild.report import build as report_module
from lagesbild.settings import load_settings
from tests.dashboard.figure_check import validated
from tests.dashboard.layout_tree import figure, find
from tests.dashboard.roles import as_role, reads_for, report_for

RULE = Rule()
M = date
SPAN = (M(2021, 1, 1), M(2025, 12, 1))
TODAY = date(2026, 3, 2)
JUNE = date(2024, 6, 1)
# a digit 1-4 standing alone: '2', 'maj 2024: 3', '(4)'; not '−4 %', '+3', '1 619', '2024' or '<5'
SMALL_NUMBER = re.compile(r"(?<![\d.,\u00a0−+\-<])[1-4](?![\d.,\u00a0%])")

SMALL = Rule().token  # a small count's reason: "<5"


def indicator(**overrides) -> Indicator:
    fields = dict(id="drugs", group="problem", label={"sv": "Narkotika", "en": "Drugs"},
                  unit={"sv": "händelser", "en": "incidents"}, measure=Measure("incidents", (), ("narkotikabruk",)),
                  direction="lower", baseline_year=2022, target_change=-0.40,
                  counts="incidents")
    return Indicator(**{**fields, **overrides})


DRUGS = indicator()
HOURS = indicator(id="hours", direction="higher", target_change=0.25, counts="none",
                  measure=Measure("outreach", ("hours",)))
SURVEY = indicator(id="unsafe", measure=Measure("surveys", (), ("otrygghet",)), compare="points",
                   target_change=-0.10, survey="Polisens trygghetsmätning",
                   answers=("Ganska otrygg", "Mycket otrygg"), counts="people")


def series(latest: float, previous: float = 8, baseline: float = 10, months: dict | None = None) -> dict:
    values = {M(2022, m, 1): baseline for m in range(1, 13)} | {M(2025, m, 1): 9 for m in range(1, 13)}
    values |= {M(2024, m, 1): 9 for m in range(1, 13)}
    values[M(2025, 11, 1)], values[M(2025, 12, 1)] = previous, latest
    return values | (months or {})


# ---- the readings: the one place a month's value is read ----

def test_a_small_latest_month_is_hidden_with_its_changes_and_status():
    shown = read_monthly(DRUGS, series(3), SPAN, TODAY)
    assert (shown.latest.value, shown.status) == (3, "watch")  # without a rule: 101 against 120 over 12 months
    reading = read_monthly(DRUGS, series(3), SPAN, TODAY, rule=RULE)
    assert reading.latest == Point(M(2025, 12, 1), None, "", SMALL)
    assert reading.previous == Point(M(2025, 11, 1), 8) and reading.baseline == Point(M(2022, 12, 1), 10)
    assert (reading.change_previous, reading.change_baseline) == (None, None)
    assert reading.status == HIDDEN_STATUS  # both windows hold the month: without keyed totals it would show


def test_a_hidden_month_on_the_other_side_hides_only_that_change():
    reading = read_monthly(DRUGS, series(5, previous=2), SPAN, TODAY, rule=RULE)
    assert reading.latest.value == 5 and reading.previous.hidden == SMALL
    assert reading.change_previous is None and reading.change_baseline == pytest.approx(-0.5)
    # The status rests on the windows, which hold November: summed from the months, they would give it away (Reads
    # gives them keyed totals, rounded as one cell each, instead).
    assert reading.status == HIDDEN_STATUS and all(w.status == HIDDEN_STATUS for w in reading.windows)
    hidden_base = read_monthly(DRUGS, series(6, baseline=4), SPAN, TODAY, rule=RULE)
    assert hidden_base.baseline.hidden == SMALL
    assert (hidden_base.change_baseline, hidden_base.status) == (None, HIDDEN_STATUS)


def test_a_real_zero_stays_a_zero():
    reading = read_monthly(DRUGS, series(0), SPAN, TODAY, rule=RULE)
    assert reading.latest == Point(M(2025, 12, 1), 0) and reading.status == "watch"
    assert reading.status_window.count == 98  # 9 × 10 + 8 + 0: the zero is counted, not hidden


def test_sparkline_months_that_are_small_are_hidden_not_zero():
    reading = read_monthly(DRUGS, series(9, months={M(2025, 3, 1): 2, M(2025, 4, 1): 0}), SPAN, TODAY, rule=RULE)
    by_month = {p.period: p for p in reading.series}
    assert by_month[M(2025, 3, 1)] == Point(M(2025, 3, 1), None, "", SMALL)
    assert by_month[M(2025, 4, 1)] == Point(M(2025, 4, 1), 0)
    assert all(p.value is None or not 1 <= p.value <= 4 for p in reading.series + reading.baseline_series)


def test_what_is_not_a_count_of_anyone_is_shown():
    reading = read_monthly(HOURS, series(3, previous=2, baseline=1), SPAN, TODAY, rule=RULE)
    assert (reading.latest.value, reading.previous.value, reading.baseline.value) == (3, 2, 1)
    assert reading.status == "good"


def test_the_effort_beside_an_indicator_hides_small_counts_when_it_counts_people():
    reading = read_monthly(DRUGS, series(9), SPAN, TODAY, rule=RULE)
    shifts = {M(2025, 12, 1): 3, M(2022, 12, 1): 12}
    counted = with_effort(reading, Effort({"sv": "Pass", "en": "Shifts"}, Measure("outreach"), "people"), shifts,
                          SPAN, RULE).effort
    assert (counted.value, counted.value_hidden, counted.baseline, counted.baseline_hidden) == (None, SMALL, 12, "")
    staff = with_effort(reading, Effort({"sv": "Pass", "en": "Shifts"}, Measure("outreach"), "none"), shifts,
                        SPAN, RULE).effort
    assert (staff.value, staff.value_hidden) == (3, "")


def test_the_outcome_is_hidden_when_a_month_behind_it_is_small():
    months = {M(2024, 5, 1): 3}
    assert monthly_outcome(DRUGS, series(9, months=months), SPAN, date(2025, 1, 1), TODAY).status == "watch"
    outcome = monthly_outcome(DRUGS, series(9, months=months), SPAN, date(2025, 1, 1), TODAY, RULE)
    assert (outcome.status, outcome.value, outcome.baseline, outcome.change) == (HIDDEN_STATUS, None, None, None)
    whole = monthly_outcome(DRUGS, series(9), SPAN, date(2025, 1, 1), TODAY, RULE)
    assert whole.status == "watch" and whole.change == pytest.approx(9 / 10 - 1)


def survey_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["wave", "period_end", "place_id", "question_code", "share", "count", "n"])


def test_a_survey_share_of_few_answers_is_hidden():
    frame = survey_frame([
        ("2022", date(2022, 10, 14), "area", "q", 0.44, 44, 100),
        ("2024", date(2024, 10, 11), "area", "q", 0.10, 3, 30),  # 3 answered so
        ("2025", date(2025, 10, 10), "area", "q", 0.90, 27, 30),  # 3 did not
        ("2026", date(2026, 4, 10), "area", "q", 0.50, 2, 4),  # n itself small
    ])
    points, sizes = waves(frame)
    assert [p.hidden for p in points] == ["", "", "", ""]
    points, sizes = waves(frame, RULE)
    assert [p.hidden for p in points] == ["", SMALL, SMALL, SMALL]
    assert all(p.value is None for p in points[1:])
    assert sizes[date(2025, 10, 10)] == 30 and sizes[date(2026, 4, 10)] is None
    reading = read_survey(SURVEY, points, sizes, today=date(2026, 1, 1))
    assert reading.latest.label == "2025" and reading.latest.hidden == SMALL
    assert (reading.status, reading.change_baseline, reading.change_previous, reading.interval) == (
        HIDDEN_STATUS, None, None, None)
    assert survey_outcome(SURVEY, points, date(2025, 1, 1), today=date(2026, 1, 1)).status == HIDDEN_STATUS


def test_survey_waves_in_the_report_chart_lose_a_share_of_few_answers():
    frame = pd.DataFrame({"share": [0.44, 0.1, 0.5], "n": [100, 30, 4], "ci_low": [0.3, 0.05, 0.1],
                          "ci_high": [0.5, 0.2, 0.9]})
    assert protect_shares(frame, rule=None) is frame  # a viewer of every number: no rule
    out = protect_shares(frame, rule=RULE)
    assert out["share"].isna().tolist() == [False, True, True]
    assert out["ci_high"].isna().tolist() == [False, True, True]
    assert out["n"].isna().tolist() == [False, False, True]  # n = 30 says nothing; n = 4 is a small count


def test_what_an_indicator_counts_is_declared_in_the_yaml():
    settings = load_settings({})
    config = load_config(settings).indicators
    counts = {i.id: i.counts for i in config.indicators}
    assert counts["sprutfynd"] == "incidents" and counts["nya_personer"] == "people"
    assert counts["narvarotimmar"] == "none"
    assert all(i.is_count for i in config.indicators if i.is_survey)
    good = {"groups": [{"id": "g", "label": {"sv": "G", "en": "G"}}], "defaults": {"baseline": {"year": 2022}},
            "indicators": [{"id": "x", "group": "g", "label": {"sv": "X", "en": "X"}, "unit": {"sv": "x", "en": "x"},
                            "kind": "incidents", "direction": "lower", "target": {"change": -0.4}}]}
    assert check_indicators(good).indicators[0].counts == "people"  # left out: the careful choice
    with pytest.raises(ConfigError, match="counts: must be one of people, incidents, none"):
        check_indicators({**good, "indicators": [{**good["indicators"][0], "counts": "hours"}]})


# ---- Översikt, as the partner role and as the styrgrupp ----

@pytest.fixture(scope="module")
def page(dash_app):
    return importlib.import_module("dashboard.pages.oversikt")


@pytest.fixture(scope="module")
def config():
    settings = load_settings({})
    return load_config(settings).indicators


def texts(component) -> list[str]:
    """Every string in a layout tree."""
    if component is None:
        return []
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [text for child in component for text in texts(child)]
    return texts(getattr(component, "children", None))


def by_class(component, name: str) -> list:
    """The components whose className holds `name`."""
    found = []
    if isinstance(component, list | tuple):
        for child in component:
            found += by_class(child, name)
        return found
    if component is None or isinstance(component, str | int | float):
        return found
    if name in (getattr(component, "className", None) or "").split():
        found.append(component)
    return found + by_class(getattr(component, "children", None), name)


def headline(card) -> str:
    values = by_class(card, "kpi-value")
    return "".join(texts(values[0])) if values else ""


def rounded_text(mine: str, theirs: str) -> bool:
    """Whether a partner's number is the styrgrupp's rounded to a multiple of 5 (less than 5 away, 0 only for 0)."""
    shown, exact = (float(re.sub(r"[^\d,]", "", text).replace(",", ".")) for text in (mine, theirs))
    return shown % 5 == 0 and abs(shown - exact) < 5 and (shown == 0) == (exact == 0)


def is_small_text(text: str) -> bool:
    return text.replace("\u00a0", "").isdigit() and 1 <= int(text.replace("\u00a0", "")) <= 4


QUERY = {"place": "tantolunden"}  # one park, its latest month: December 2025


@pytest.fixture(scope="module")
def layouts(dash_app, page):
    with as_role(dash_app, "styrgrupp"):
        full = page.layout(lang="sv", **QUERY)
    with as_role(dash_app, "partner"):
        partner = page.layout(lang="sv", **QUERY)
    return full, partner


def test_overview_for_a_partner_shows_small_counts_as_less_than_five(layouts, config):
    full, partner = layouts
    small_for_styrgrupp = 0
    for ind in config.indicators:
        mine, theirs = headline(find(partner, f"kpi-{ind.id}")), headline(find(full, f"kpi-{ind.id}"))
        if ind.is_count and is_small_text(theirs):
            small_for_styrgrupp += 1
            assert mine == "<5", ind.id
            hidden = by_class(find(partner, f"kpi-{ind.id}"), "kpi-value-hidden")
            assert hidden and "färre än 5" in hidden[0].title
        elif ind.is_count and theirs not in ("", "–"):
            assert rounded_text(mine, theirs), (ind.id, mine, theirs)
        assert not (ind.is_count and is_small_text(mine)), ind.id
    assert small_for_styrgrupp >= 2  # the sample has small months in a park: the test means something


def test_overview_hides_changes_and_status_that_would_give_a_small_count_away(layouts, config):
    full, partner = layouts
    hidden_status = windows = 0
    for ind in config.indicators:
        if not ind.is_count:
            continue
        card, their_card = find(partner, f"kpi-{ind.id}"), find(full, f"kpi-{ind.id}")
        for line in by_class(card, "kpi-change") + by_class(card, "kpi-change-small"):
            text = "".join(texts(line))
            assert not re.search(r"\(([1-4])\)", text), (ind.id, text)  # the compared value is never 1-4
            if "kpi-change-hidden" in line.className:
                assert text.startswith("–") and "färre än 5" in line.title
        for line in by_class(their_card, "kpi-change") + by_class(their_card, "kpi-change-small"):
            if re.search(r"\(([1-4])\)", "".join(texts(line))) or is_small_text(headline(their_card)):
                assert by_class(card, "kpi-change-hidden"), ind.id
        for line in by_class(card, "kpi-window"):  # the windows' sums are rounded cells of their own
            text = "".join(texts(line))
            assert not SMALL_NUMBER.search(text.split("(")[0].split(":")[-1]), (ind.id, text)
            windows += 1
        badge = find(card, f"kpi-status-{ind.id}")
        if badge.className.endswith(HIDDEN_STATUS):
            hidden_status += 1
            assert badge.style["backgroundColor"] == STATUS_COLOURS[HIDDEN_STATUS]
            assert "Dold" in "".join(texts(badge))
            assert card.style["borderLeftColor"] == STATUS_COLOURS[HIDDEN_STATUS]
        assert not find(full, f"kpi-status-{ind.id}").className.endswith(HIDDEN_STATUS)
    assert windows >= 10 and hidden_status >= 0  # a status is hidden only when a window's own sum is 1–4


def test_overview_sparklines_leave_gaps_and_rings_where_a_month_is_small(layouts):
    full, partner = layouts
    mine = figure(partner, "kpi-spark-nya_personer")
    theirs = figure(full, "kpi-spark-nya_personer")
    their_line, my_line = theirs.data[1], mine.data[1]  # the baseline year first, then the 13 months
    small = [i for i, v in enumerate(their_line.y) if v is not None and 1 <= v <= 4]
    assert small, "the sample's park has small months"
    assert all(my_line.y[i] is None for i in small)  # a gap: not a zero, not the value
    assert all(v is None or v == 0 or v >= 5 for v in my_line.y)
    assert all(my_line.customdata[i][1] == "<5" for i in small)
    rings = [trace for trace in mine.data if trace.name == "Små tal dolda"]
    assert len(rings) == 1 and rings[0].marker.symbol == "circle-open"
    assert len(rings[0].x) == len(small)
    assert not any(trace.name == "Små tal dolda" for trace in theirs.data)
    for trace in mine.data:  # no hover anywhere says a small number
        for data in trace.customdata or ():
            text = data if isinstance(data, str) else " ".join(map(str, data))
            assert not SMALL_NUMBER.search(text.split(":", 1)[-1]), text


def test_overview_explains_the_protection_to_a_partner_only(layouts):
    full, partner = layouts
    note = find(partner, "disclosure-note")
    assert note is not None and "<5" in note.children
    assert find(full, "disclosure-note") is None
    outcome = "".join(texts(find(partner, "goal-outcome")))
    assert "dolt" in outcome and "dolt" not in "".join(texts(find(full, "goal-outcome")))


# ---- the lägesrapport ----

@pytest.fixture(scope="module")
def settings(dashboard_store_url):
    return load_settings({}).with_db(dashboard_store_url)


def kpi_cells(document) -> dict[str, list[str]]:
    """The KPI table by indicator label: each cell's whole text."""
    return {row.cells[0].text: [cell.text for cell in row.cells] for row in document.tables[0].rows[1:]}


def small_numbers(cells: list[str]) -> list[str]:
    return [match for cell in cells[1:4] for match in SMALL_NUMBER.findall(cell)]


@pytest.fixture(scope="module")
def reports(dash_app, sample_engine, settings):
    """June 2024 for the whole area: syringe finds were 2 that month."""
    full = report_for("styrgrupp", sample_engine, settings, JUNE, lang="sv", charts=False)
    partner = report_for("partner", sample_engine, settings, JUNE, lang="sv", charts=False)
    return full, partner


def test_the_report_for_a_partner_shows_no_small_count_in_its_kpi_table(reports, config):
    full, partner = reports
    mine = kpi_cells(Document(io.BytesIO(report_bytes(partner, "docx"))))
    theirs = kpi_cells(Document(io.BytesIO(report_bytes(full, "docx"))))
    counted = {i.label["sv"] for i in config.indicators if i.is_count}
    assert any(small_numbers(cells) for label, cells in theirs.items() if label in counted)
    for label in counted:
        assert not small_numbers(mine[label]), (label, mine[label])
    syringes = mine["Sprutfynd"]
    assert syringes[1].startswith("<5") and theirs["Sprutfynd"][1].startswith("2")
    assert syringes[3].startswith("–")  # the month's change would give it away
    # The 12 months against 2022 are a cell of their own, rounded: '−60 % (−73 % till −42 %)\n40 mot 100'.
    counts = re.findall(r"(\d+) mot (\d+)", syringes[2])
    assert counts and all(int(x) % 5 == 0 for x in counts[0]), syringes[2]
    contacts, exact = (cells["Kontakter i uppsökande arbete"][1].split("\n")[0] for cells in (mine, theirs))
    assert rounded_text(contacts, exact)  # large: rounded as every count


def test_the_report_for_a_partner_says_why_and_shades_the_hidden_status(reports):
    full, partner = reports
    document = Document(io.BytesIO(report_bytes(partner, "docx")))
    row = next(r for r in document.tables[0].rows if r.cells[0].text == "Sprutfynd")
    fill = row.cells[5]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    status = next(k.status for k in partner.kpis if k.id == "sprutfynd")
    assert fill == STATUS_COLOURS[status].lstrip("#").upper()
    paragraphs = [p.text for p in document.paragraphs]
    assert partner.protection and partner.protection in paragraphs
    assert any("– Dold:" in line for line in partner.rules)
    assert full.protection is None and not any("Dold" in line for line in full.rules)
    assert not any(text.startswith("Tal från 1 till 4") for text in
                   (p.text for p in Document(io.BytesIO(report_bytes(full, "docx"))).paragraphs))
    html = render_html(partner)
    assert 'id="disclosure-note"' in html and "&lt;5" in html
    assert 'id="disclosure-note"' not in render_html(full)


def test_the_report_made_outside_a_request_shows_every_number(sample_engine, settings):
    """The CLI (`lagesbild report`) runs without a request: whoever runs it has the store."""
    made = report_for(None, sample_engine, settings, JUNE, lang="sv", charts=False)
    syringes = next(kpi for kpi in made.kpis if kpi.id == "sprutfynd")
    assert (syringes.value.text, syringes.status) == ("2", "good") and made.protection is None


def test_the_report_charts_for_a_partner_hide_small_counts(dash_app, sample_engine, settings, config):
    drugs = next(i for i in config.indicators if i.id == "narkotika_rapporter")
    first = date(2023, 6, 1)
    state = FilterState((), JUNE, JUNE)
    markers = reads_for(None, sample_engine).measure_markers(month_from=first, month_to=JUNE)

    def chart(role):
        made = report_module._monthly_chart(reads_for(role, sample_engine, settings), load_config(settings), drugs,
                                            state, first, markers, "sv")
        return validated(made[0])

    mine, theirs = chart("partner"), chart("styrgrupp")
    assert any(trace.name == "Små tal dolda" for trace in mine.data)
    assert not any(trace.name == "Små tal dolda" for trace in theirs.data)
    shown = [value for trace in mine.data if trace.type == "bar" for value in trace.customdata]
    assert "<5" in shown and not any(is_small_text(v) for v in shown)


def test_the_download_button_gives_a_partner_the_protected_report(dash_app, page):
    """The Översikt button's callback, in a request of a partner: the Word file has '<5' where the styrgrupp's has
    the count."""
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    token = context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "report-docx.n_clicks", "value": 1}]))
    try:
        files = {}
        for role in ("styrgrupp", "partner"):
            with as_role(dash_app, role):
                sent, error = page.download_report(1, None, {"places": [], "month": "2024-06", "lang": "sv"})
            assert error is None
            files[role] = kpi_cells(Document(io.BytesIO(base64.b64decode(sent["content"]))))
    finally:
        context_value.reset(token)
    assert files["styrgrupp"]["Sprutfynd"][1].startswith("2")
    assert files["partner"]["Sprutfynd"][1].startswith("<5")
    assert all(not small_numbers(cells) for label, cells in files["partner"].items()
               if label not in ("Aktiviteter i parkerna", "Närvarotimmar i området"))


def test_a_hidden_survey_share_says_hidden_on_the_card_and_in_the_table(dash_app, page):
    frame = survey_frame([("2022", date(2022, 10, 14), "area", "q", 0.44, 44, 100),
                          ("2025", date(2025, 10, 10), "area", "q", 0.90, 27, 30)])
    reading = read_survey(SURVEY, *waves(frame, RULE), today=date(2026, 1, 1))
    with as_role(dash_app, "partner"):
        card = page.kpi_card(reading, "en")
    assert headline(card) == "hidden" and "fewer than 5 respondents" in by_class(card, "kpi-value-hidden")[0].title
    text = " ".join(texts(card))
    assert "90" not in text and "n = 30" in text and "uncertainty" not in text
    assert "– vs 2022 (44%)" in text
    row = report_module.kpi_row(reading, "sv")
    assert (row.value.text, row.baseline.text, row.status) == ("dold", "–", HIDDEN_STATUS)
    assert row.baseline.note == "omgång 2022: 44\u00a0%"
