"""Tests for lagesbild.config.indicators: indicators.yaml read into typed definitions, every bad key named."""

from __future__ import annotations

from datetime import date

import pytest

from lagesbild.config import ConfigError, load_config
from lagesbild.config.indicators import Measure, check_indicators
from lagesbild.settings import load_settings

GOOD = {
    "groups": [{"id": "problem", "label": {"sv": "Problem", "en": "Problems"}}],
    "defaults": {"baseline": {"year": 2022}, "windows": [3, 12], "status": {"window": 12, "min_events": 10}},
    "indicators": [{
        "id": "drugs", "group": "problem", "label": {"sv": "Narkotika", "en": "Drugs"},
        "unit": {"sv": "händelser", "en": "incidents"}, "kind": "incidents", "measure": "count",
        "categories": ["narkotikabruk"], "direction": "lower", "target": {"change": -0.4},
        "status": {"min_events": 20},
    }],
}
VOCABULARY = {"incidents": {"narkotikabruk", "sprutfynd"}, "outreach": set(), "events": set(), "surveys": set()}


def with_indicator(**changes) -> dict:
    return {**GOOD, "indicators": [{**GOOD["indicators"][0], **changes}]}


def problems(data: object) -> list[str]:
    with pytest.raises(ConfigError) as error:
        check_indicators(data, "indicators.yaml", VOCABULARY)
    return [str(problem) for problem in error.value.problems]


def test_a_good_definition_parses():
    config = check_indicators(GOOD, "indicators.yaml", VOCABULARY, date(2025, 1, 1))
    (drugs,) = config.indicators
    assert (drugs.measure, drugs.baseline_year, drugs.target_by) == (
        Measure("incidents", (), ("narkotikabruk",)), 2022, date(2025, 1, 1))
    assert config.stale_after("incidents") == 45
    # the indicator's status keys merged over the defaults' one by one
    assert (drugs.windows, drugs.status_window, drugs.rule.min_events, drugs.rule.confidence) == ((3, 12), 12, 20, 0.95)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"direction": "down"}, "indicators[0] (drugs).direction: must be one of lower, higher; got 'down'"),
    ({"kind": "crimes"}, "indicators[0] (drugs).kind: must be one of incidents, outreach, events, surveys"),
    ({"categories": ["narkotika"]}, "indicators[0] (drugs).categories: not in vocabulary.yaml under incidents"),
    ({"measure": "persons"}, "indicators[0] (drugs).measure: must be count, a column of incidents"),
    ({"label": {"sv": "Narkotika"}}, "indicators[0] (drugs).label: needs a text for each of sv and en"),
    ({"label": {"sv": "Våld", "hot": None, "en": "Violence"}}, "unexpected key(s) hot; quote a text"),
    ({"group": "trygghet"}, "indicators[0] (drugs).group: 'trygghet' is not one of the groups"),
    ({"target": {"change": 0.4}}, "indicators[0] (drugs).target.change: a 'lower' indicator needs a change"),
    ({"target": {}}, "indicators[0] (drugs).target.change: missing"),
    ({"status": {"green": -0.4}}, "indicators[0] (drugs).status.green: no longer used: the status follows the"),
    ({"status": {"window": 6}}, "indicators[0] (drugs).status.window: must be one of the windows [3, 12]"),
    ({"status": {"min_events": -1}}, "indicators[0] (drugs).status.min_events: must be a whole number"),
    ({"status": {"confidence": 95}}, "indicators[0] (drugs).status.confidence: must be a number between 0 and 1"),
    ({"status": {"too_wide_factor": 1}}, "indicators[0] (drugs).status.too_wide_factor: must be above 1"),
    ({"status": {"windw": 12}}, "indicators[0] (drugs).status: unknown key(s) windw"),
    ({"windows": [3, 24]}, "indicators[0] (drugs).windows: must be a list of window lengths in months, 1 to 12"),
    ({"baseline": {"year": "2022"}}, "indicators[0] (drugs).baseline.year: must be a year"),
    ({"is_measure": True}, "indicators[0] (drugs).is_measure: only for kind events"),
])
def test_each_bad_key_is_named(changes, expected):
    assert any(problem.startswith(expected) or expected in problem for problem in problems(with_indicator(**changes)))


def test_every_problem_is_reported_at_once_with_the_file_name():
    data = {**GOOD, "indicators": [GOOD["indicators"][0], {**GOOD["indicators"][0], "direction": "up"},
                                   {"id": "x"}]}
    with pytest.raises(ConfigError) as error:
        check_indicators(data, "indicators.yaml", VOCABULARY)
    message = str(error.value)
    assert message.startswith("indicators.yaml: ")
    assert "indicators[1].id: 'drugs' is used twice" in message
    assert "indicators[1] (drugs).direction" in message
    assert "indicators[2] (x).kind" in message and "indicators[2] (x).label" in message


def test_a_survey_indicator_needs_answers_and_points():
    survey = with_indicator(kind="surveys", categories=[], survey="Polisens trygghetsmätning")
    found = problems(survey)
    assert any(p.startswith("indicators[0] (drugs).answers:") for p in found)
    assert any(p.startswith("indicators[0] (drugs).compare:") for p in found)


def test_an_empty_definition_names_what_is_missing():
    with pytest.raises(ConfigError, match="indicators: missing or empty"):
        check_indicators({"groups": []}, "indicators.yaml")


def test_the_bundled_indicators_are_valid_against_the_bundled_vocabulary():
    config = load_config(load_settings({})).indicators
    assert [i.id for i in config.indicators] == [
        "narkotika_rapporter", "narkotikabrott", "vald_tillgrepp", "ordningsstorning", "sprutfynd", "kontakter",
        "nya_personer", "hanvisningar", "narvarotimmar", "aktiviteter", "deltagare", "otrygghet",
        "problem_narkotika"]
    by_id = {i.id: i for i in config.indicators}
    assert by_id["narkotikabrott"].effort is not None and by_id["narkotikabrott"].note
    assert len(by_id["hanvisningar"].measure.columns) == 6
