"""Small counts on Uppsökande arbete and Aktiviteter: the same filter drawn for a partner (counts of people from 1
to 4 shown as '<5', the others rounded to multiples of 5) and for the styrgrupp (every number exact). Where a small
count lies is found by direct SQL against the sample store (or, for attendance, which the sample store never has
below 5, a copy of it with one event's attendance set to 3)."""

from __future__ import annotations

import importlib
import re

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import app_context as context
from lagesbild.config import load_config
from lagesbild.i18n import t
from lagesbild.i18n.formats import fmt_int
from lagesbild.store.db import make_engine
from lagesbild.store.schema import REFERRAL_KINDS
from tests.dashboard.layout_tree import figure, find
from tests.dashboard.roles import as_role, copy_store, on_store
from tests.partner_view import partner_shown

HIDDEN_WORDS = {"<5", "dolt", "hidden"}
MARKS = "Små tal dolda"
LILJEHOLMSBRON_2023 = dict(place="liljeholmsbron", **{"from": "2023-01", "to": "2023-12"})
PEOPLE = {"contacts": "SUM(contacts)", "new_persons": "SUM(new_persons)",
          "referrals": "SUM(" + " + ".join(f"referrals_{kind}" for kind in REFERRAL_KINDS) + ")"}


@pytest.fixture(scope="module")
def pages(dash_app):
    """The page modules, imported by the app (dash.register_page needs the app first)."""
    return {name: importlib.import_module(f"dashboard.pages.{name}") for name in ("uppsokande", "aktiviteter")}


def rows(engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def both(dash_app, page, lang: str = "sv", **query):
    """The page as the styrgrupp and as a partner sees it, for the same filter."""
    with as_role(dash_app, "styrgrupp"):
        full = page.layout(lang=lang, **query)
    with as_role(dash_app, "partner"):
        partner = page.layout(lang=lang, **query)
    return full, partner


def number(cell: str) -> float:
    """'12 345' (with the no-break space of lagesbild.i18n.formats), '12,5' -> a number."""
    return float(re.sub(r"[\s\u00a0\u202f]", "", cell).replace(",", "."))


def assert_no_small_number(cells) -> None:
    """No cell says a number from 1 to 4: each is a hidden word, 0, or a multiple of 5."""
    for cell in cells:
        assert cell in HIDDEN_WORDS or number(cell) % 5 == 0, cell


def rounded_from(shown: float, exact: float) -> bool:
    """Whether a partner's number is the exact one as the rule rounds it: a multiple of 5 less than 5 away."""
    return shown % 5 == 0 and abs(shown - exact) < 5 and (shown == 0) == (exact == 0)


def month_index(trace, month: str) -> int:
    return [pd.Timestamp(x) for x in trace.x].index(pd.Timestamp(month))


def bars(figure) -> dict[str, object]:
    return {trace.name: trace for trace in figure.data if trace.type == "bar"}


def table_rows(tree, table_id: str) -> list[list[str]]:
    body = find(tree, table_id).children[-1]
    return [[cell.children for cell in row.children] for row in body.children]


def table_head(tree, table_id: str) -> list[str]:
    return [cell.children for cell in find(tree, table_id).children[0].children.children]


def outreach_labels(dash_app) -> dict[str, str]:
    settings = dash_app.server.config[context.CONFIG_KEY].settings
    return load_config(settings).vocabulary.labels("outreach", "sv")


# ---- Uppsökande arbete -------------------------------------------------------------------------------------------


def small_cell(engine, measure: str) -> tuple[str, str, int]:
    """The first month × shift type at Liljeholmsbron in 2023 whose `measure` is from 1 to 4."""
    found = rows(engine, f"""SELECT month, category, {PEOPLE[measure]} AS value FROM outreach_shifts
        WHERE place_id = 'liljeholmsbron' AND month BETWEEN '2023-01-01' AND '2023-12-01'
        GROUP BY month, category HAVING {PEOPLE[measure]} BETWEEN 1 AND 4 ORDER BY month, category""")
    assert found, f"the sample store has no small {measure} at Liljeholmsbron in 2023"
    month, category, value = found[0]
    return str(month)[:10], category, int(value)


@pytest.mark.parametrize(("measure", "graph_id"), [("contacts", "uppsokande-contacts"),
                                                    ("new_persons", "uppsokande-new-persons")])
def test_people_per_month_and_shift_type_are_protected(dash_app, pages, sample_engine, measure, graph_id):
    month, category, value = small_cell(sample_engine, measure)
    label = outreach_labels(dash_app)[category]
    full, partner = both(dash_app, pages["uppsokande"], **LILJEHOLMSBRON_2023)
    shown = figure(partner, graph_id)
    trace = bars(shown)[label]
    assert trace.customdata[month_index(trace, month)] == "<5"
    assert trace.y[month_index(trace, month)] == 0  # no bar drawn for it
    assert_no_small_number(v for bar in bars(shown).values() for v in bar.customdata)
    assert MARKS in [trace.name for trace in shown.data]
    exact = bars(figure(full, graph_id))[label]
    assert exact.y[month_index(exact, month)] == value
    assert exact.customdata is None and MARKS not in [trace.name for trace in figure(full, graph_id).data]


def test_hours_are_not_people_and_stay_as_they_are(dash_app, pages):
    full, partner = both(dash_app, pages["uppsokande"], **LILJEHOLMSBRON_2023)
    assert figure(partner, "uppsokande-hours") == figure(full, "uppsokande-hours")


def test_referrals_per_month_and_kind_are_protected(dash_app, pages, sample_engine):
    per_kind = " UNION ALL ".join(
        f"SELECT month, '{kind}' AS kind, SUM(referrals_{kind}) AS value FROM outreach_shifts "
        f"WHERE place_id = 'liljeholmsbron' AND month BETWEEN '2023-01-01' AND '2023-12-01' GROUP BY month"
        for kind in REFERRAL_KINDS)
    small = rows(sample_engine, f"SELECT month, kind, value FROM ({per_kind}) WHERE value BETWEEN 1 AND 4 "
                                "ORDER BY month, kind")
    assert small, "the sample store has no small referrals at Liljeholmsbron in 2023"
    month, kind, value = str(small[0][0])[:10], small[0][1], small[0][2]
    name = t(f"uppsokande.referral.{kind}", "sv")
    full, partner = both(dash_app, pages["uppsokande"], **LILJEHOLMSBRON_2023)
    shown = figure(partner, "uppsokande-referrals")
    trace = bars(shown)[name]
    assert trace.customdata[month_index(trace, month)] == "<5"
    assert_no_small_number(v for bar in bars(shown).values() for v in bar.customdata)
    exact = bars(figure(full, "uppsokande-referrals"))[name]
    assert exact.y[month_index(exact, month)] == value


def test_the_reference_year_hides_its_small_months(dash_app, pages, sample_engine):
    """The dashed line is the same month of 2022: a month of 2022 with 1–4 contacts at the place is a gap."""
    found = rows(sample_engine, """SELECT place_id, month, SUM(contacts) FROM outreach_shifts
        WHERE month BETWEEN '2022-01-01' AND '2022-12-01' GROUP BY place_id, month
        HAVING SUM(contacts) BETWEEN 1 AND 4 ORDER BY place_id, month""")
    assert found, "the sample store has no place with 1–4 contacts in a month of 2022"
    place, month, value = found[0]
    calendar_month = int(str(month)[5:7])
    full, partner = both(dash_app, pages["uppsokande"], place=place, **{"from": "2023-01", "to": "2023-12"})

    def reference(tree) -> dict[int, float]:
        line = next(trace for trace in figure(tree, "uppsokande-contacts").data
                    if trace.name == "Referens 2022")
        return {pd.Timestamp(x).month: y for x, y in zip(line.x, line.y, strict=True)}

    exact, shown = reference(full), reference(partner)
    assert exact[calendar_month] == value
    assert pd.isna(shown[calendar_month])
    assert exact.keys() == shown.keys()
    for m, y in shown.items():
        assert pd.isna(y) or rounded_from(y, exact[m])


def test_the_number_strip_hides_small_totals_of_people_only(dash_app, pages, sample_engine):
    found = rows(sample_engine, f"""SELECT month, COUNT(*), {PEOPLE['contacts']}, {PEOPLE['new_persons']},
        {PEOPLE['referrals']}, SUM(hours) FROM outreach_shifts WHERE place_id = 'liljeholmsbron'
        GROUP BY month HAVING SUM(contacts) BETWEEN 1 AND 4 ORDER BY month""")
    assert found
    month, shifts, contacts, new_persons, referrals, hours = found[0]
    month = str(month)[:7]
    full, partner = both(dash_app, pages["uppsokande"], place="liljeholmsbron", **{"from": month, "to": month})
    people = {"contacts": contacts, "new-persons": new_persons, "referrals": referrals}
    for name, value in people.items():
        assert find(full, f"uppsokande-total-{name}").children == fmt_int(value)
        measure = name.replace("-", "_")
        shown, reason = partner_shown(sample_engine, "outreach_shifts", "place_id = 'liljeholmsbron' AND month = :m",
                                      {"m": f"{month}-01"}, value=PEOPLE[measure], measure=measure)
        expected = reason or fmt_int(shown)
        assert expected == ("<5" if 1 <= value <= 4 else expected)
        assert find(partner, f"uppsokande-total-{name}").children == expected
    assert find(partner, "uppsokande-total-contacts").children == "<5"
    assert find(partner, "uppsokande-total-shifts").children == fmt_int(shifts) == \
        find(full, "uppsokande-total-shifts").children
    assert find(partner, "uppsokande-total-hours").children == fmt_int(hours) == \
        find(full, "uppsokande-total-hours").children


def team_totals(engine, month_from: str, month_to: str, place: str | None = None) -> dict[str, dict[str, int]]:
    where = "month BETWEEN :a AND :b" + (" AND place_id = :place" if place else "")
    found = rows(engine, f"""SELECT team, COUNT(*), {PEOPLE['contacts']}, {PEOPLE['new_persons']},
        {PEOPLE['referrals']} FROM outreach_shifts WHERE {where} GROUP BY team""", a=month_from, b=month_to,
                 place=place)
    return {team: dict(shifts=s, contacts=c, new_persons=n, referrals=r) for team, s, c, n, r in found}


def test_the_team_table_protects_each_column_of_people(dash_app, pages, sample_engine):
    """At Liljeholmsbron in 2023 some team has 1–4 of something; every count of people is protected down its
    column, so no column is left with one hidden cell its total could give away."""
    expected = team_totals(sample_engine, "2023-01-01", "2023-12-01", "liljeholmsbron")
    small = [(team, m) for team, sums in expected.items() for m in ("contacts", "new_persons", "referrals")
             if 1 <= sums[m] <= 4]
    assert small, "the sample store has no team with a small count at Liljeholmsbron in 2023"
    full, partner = both(dash_app, pages["uppsokande"], **LILJEHOLMSBRON_2023)
    head = table_head(partner, "uppsokande-by-team")
    assert head == ["Team", "Pass", "Kontakter", "Nya personer", "Hänvisningar", "Timmar"]
    columns = {"shifts": 1, "contacts": 2, "new_persons": 3, "referrals": 4}
    shown = {row[0]: row for row in table_rows(partner, "uppsokande-by-team")}
    exact = {row[0]: row for row in table_rows(full, "uppsokande-by-team")}
    assert set(shown) == set(exact) == set(expected)
    for team, measure in small:
        assert shown[team][columns[measure]] == "<5"
        assert exact[team][columns[measure]] == fmt_int(expected[team][measure])
    for measure in ("contacts", "new_persons", "referrals"):
        cells = [row[columns[measure]] for row in shown.values()]
        assert_no_small_number(cells)
        for team, row in shown.items():
            if row[columns[measure]] not in HIDDEN_WORDS:
                assert rounded_from(number(row[columns[measure]]), expected[team][measure])
    for team, row in shown.items():  # shifts and hours are not people
        assert row[columns["shifts"]] == exact[team][columns["shifts"]] == fmt_int(expected[team]["shifts"])
        assert row[5] == exact[team][5]
    hidden_contacts = [team for team, row in shown.items() if row[2] in HIDDEN_WORDS]
    order = [row[0] for row in table_rows(partner, "uppsokande-by-team")]
    assert order[len(order) - len(hidden_contacts):] == sorted(hidden_contacts)  # last, not by their size


def test_the_place_table_protects_each_column_of_people(dash_app, pages, sample_engine):
    """Every place in one month: a place with 1–4 contacts that month says '<5', the others rounded."""
    found = rows(sample_engine, """SELECT month FROM (SELECT month, place_id, SUM(contacts) AS c FROM outreach_shifts
        GROUP BY month, place_id) GROUP BY month HAVING SUM(c BETWEEN 1 AND 4) = 1 ORDER BY month""")
    assert found, "the sample store has no month with exactly one place of 1–4 contacts"
    month = str(found[0][0])[:10]
    per_place = dict(rows(sample_engine, "SELECT place_id, SUM(contacts) FROM outreach_shifts WHERE month = :m "
                                         "GROUP BY place_id", m=month))
    names = dict(rows(sample_engine, "SELECT id, name FROM places"))
    small_place = next(names[p] for p, v in per_place.items() if 1 <= v <= 4)
    full, partner = both(dash_app, pages["uppsokande"], **{"from": month[:7], "to": month[:7]})
    shown = {row[0]: row for row in table_rows(partner, "uppsokande-by-place-id")}
    exact = {row[0]: row for row in table_rows(full, "uppsokande-by-place-id")}
    assert shown[small_place][2] == "<5"
    assert exact[small_place][2] == fmt_int(per_place[next(p for p in per_place if names[p] == small_place)])
    contacts = [row[2] for row in shown.values()]
    assert "dolt" not in contacts  # no complementary cells: every other place is shown, rounded
    assert_no_small_number(contacts)
    for place, row in exact.items():
        if shown[place][2] not in HIDDEN_WORDS:
            assert rounded_from(number(shown[place][2]), number(row[2]))


def test_uppsokande_explains_the_protection_to_a_partner_only(dash_app, pages):
    full, partner = both(dash_app, pages["uppsokande"], **LILJEHOLMSBRON_2023)
    assert find(partner, "disclosure-note") is not None and find(full, "disclosure-note") is None
    assert "<5" in find(partner, "disclosure-note").children


def test_uppsokande_in_english_says_hidden(dash_app, pages):
    _, partner = both(dash_app, pages["uppsokande"], lang="en", **LILJEHOLMSBRON_2023)
    cells = [cell for row in table_rows(partner, "uppsokande-by-team") for cell in row[2:5]]
    assert "<5" in cells and "dolt" not in cells
    assert "counts from 1 to 4 show as “<5”" in find(partner, "disclosure-note").children
    assert "rounded to a multiple of 5" in find(partner, "disclosure-note").children


# ---- Aktiviteter ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_attendance(dashboard_store_url, tmp_path_factory):
    """A copy of the sample store where one event, alone at its place and in its category that month (with other
    places and categories that month), had an attendance of 3: the sample store never has fewer than 5."""
    source = make_engine(dashboard_store_url)
    assert rows(source, "SELECT COUNT(*) FROM events WHERE attendance BETWEEN 1 AND 4") == [(0,)]
    event_id, month, place_id, category = rows(source, """SELECT e.id, e.month, e.place_id, e.category FROM events e
        WHERE e.attendance > 0
        AND (SELECT COUNT(*) FROM events o WHERE o.month = e.month AND o.place_id = e.place_id AND o.attendance > 0) = 1
        AND (SELECT COUNT(*) FROM events o WHERE o.month = e.month AND o.category = e.category AND o.attendance > 0) = 1
        AND (SELECT COUNT(DISTINCT place_id) FROM events o WHERE o.month = e.month AND o.attendance > 0) >= 3
        AND (SELECT COUNT(DISTINCT category) FROM events o WHERE o.month = e.month AND o.attendance > 0) >= 3
        ORDER BY e.month, e.id LIMIT 1""")[0]
    source.dispose()
    url = copy_store(dashboard_store_url, tmp_path_factory.mktemp("small-attendance") / "store.sqlite")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE events SET attendance = 3 WHERE id = :id"), {"id": event_id})
    yield dict(url=url, engine=engine, month=str(month)[:7], place_id=place_id, category=category)
    engine.dispose()


def test_attendance_of_one_to_four_is_hidden_by_category_and_place(dash_app, pages, small_attendance):
    store, month = small_attendance, small_attendance["month"]
    engine = store["engine"]
    start = f"{month}-01"
    by_place = dict(rows(engine, "SELECT place_id, SUM(attendance) FROM events WHERE month = :m GROUP BY place_id",
                         m=start))
    by_category = dict(rows(engine, "SELECT category, SUM(attendance) FROM events WHERE month = :m GROUP BY category",
                            m=start))
    assert by_place[store["place_id"]] == 3 and by_category[store["category"]] == 3
    place_name = rows(engine, "SELECT name FROM places WHERE id = :p", p=store["place_id"])[0][0]
    settings = dash_app.server.config[context.CONFIG_KEY].settings
    category_name = load_config(settings).vocabulary.labels("events", "sv")[store["category"]]
    with on_store(dash_app, store["url"]):
        full, partner = both(dash_app, pages["aktiviteter"], **{"from": month, "to": month})

    def labelled(tree, graph_id) -> dict[str, str]:
        bar = figure(tree, graph_id).data[0]
        return dict(zip(bar.y, bar.text, strict=True))

    places, categories = labelled(partner, "aktiviteter-attendance-place"), labelled(
        partner, "aktiviteter-attendance-category")
    assert places[place_name] == "<5" and categories[category_name] == "<5"
    assert "dolt" not in places.values() and "dolt" not in categories.values()  # the others rounded, not hidden
    assert_no_small_number(places.values())
    assert_no_small_number(categories.values())
    assert list(places.values())[-2:].count("<5") == 1  # hidden bars last
    assert labelled(full, "aktiviteter-attendance-place")[place_name] == "3"
    assert labelled(full, "aktiviteter-attendance-category")[category_name] == "3"
    total = sum(v or 0 for v in by_place.values())
    assert find(full, "aktiviteter-total-attendance").children == fmt_int(total)
    shown, _ = partner_shown(engine, "events", "month = :m", {"m": start}, value="COALESCE(SUM(attendance), 0)",
                             measure="attendance")
    assert rounded_from(shown, total) and find(partner, "aktiviteter-total-attendance").children == fmt_int(shown)


def test_a_small_attendance_total_is_hidden(dash_app, pages, small_attendance):
    store = small_attendance
    with on_store(dash_app, store["url"]):
        full, partner = both(dash_app, pages["aktiviteter"], place=store["place_id"],
                             **{"from": store["month"], "to": store["month"]})
    assert find(full, "aktiviteter-total-attendance").children == "3"
    assert find(partner, "aktiviteter-total-attendance").children == "<5"
    assert figure(partner, "aktiviteter-attendance-place").data[0].text == ("<5",)
    for name in ("activities", "measures", "cost", "grants"):  # facts about the activities, not people
        assert find(partner, f"aktiviteter-total-{name}").children == find(full, f"aktiviteter-total-{name}").children


def test_aktiviteter_keeps_the_public_facts_and_explains_the_rule(dash_app, pages, sample_engine):
    """Activities, measures, cost, grants and the timeline are the same for a partner; attendance (a count of
    people) is rounded as every count is."""
    full, partner = both(dash_app, pages["aktiviteter"], place="tantolunden", **{"from": "2023-01", "to": "2024-12"})
    for name in ("activities", "measures", "cost", "grants"):
        assert find(partner, f"aktiviteter-total-{name}").children == find(full, f"aktiviteter-total-{name}").children
    where = "place_id = 'tantolunden' AND month BETWEEN '2023-01-01' AND '2024-12-01'"
    attendance = rows(sample_engine, f"SELECT SUM(attendance) FROM events WHERE {where}")[0][0]
    assert find(full, "aktiviteter-total-attendance").children == fmt_int(attendance)
    shown, _ = partner_shown(sample_engine, "events", where, value="COALESCE(SUM(attendance), 0)",
                             measure="attendance")
    assert find(partner, "aktiviteter-total-attendance").children == fmt_int(shown)
    for graph_id in ("aktiviteter-monthly", "aktiviteter-timeline", "aktiviteter-grants"):
        assert figure(partner, graph_id) == figure(full, graph_id)
    bars = figure(partner, "aktiviteter-attendance-category").data[0]
    assert all(rounded_from(number(text), exact) for text, exact in
               zip(bars.text, figure(full, "aktiviteter-attendance-category").data[0].x, strict=True))
    assert find(partner, "disclosure-note") is not None and find(full, "disclosure-note") is None

