"""Captions and file names of exports: what, where, when, in the UI's language."""

from datetime import date, datetime

from lagesbild.captions import Caption, export_filename, page_caption, slug
from lagesbild.filters import FilterState
from tests.dashboard.roles import reads_for

TWO_PARKS = FilterState(("tantolunden", "drakenbergsparken"), date(2024, 1, 1), date(2024, 6, 1))
NAMES = {"tantolunden": "Tantolunden", "drakenbergsparken": "Drakenbergsparken"}


def test_file_names_say_what_where_and_when():
    assert export_filename("Händelser per månad", FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1)),
                           "png") == "handelser-per-manad_tantolunden_2024-01--2024-06.png"
    assert export_filename("Incidents per month", FilterState(), "svg", "en") == \
        "incidents-per-month_whole-area_all-months.svg"
    assert export_filename("Lägesrapport", FilterState(month_from=date(2024, 6, 1)), "pdf") == \
        "lagesrapport_hela-omradet_2024-06--.pdf"


def test_slug_survives_hostile_text():
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("<script>") == "script"
    assert slug("") == "export"


def test_caption_lines_in_swedish_and_english():
    made = datetime(2026, 11, 27, 14, 5)
    sv = Caption("Händelser", "Tantolunden · jan–jun 2024", date(2024, 6, 30), ("Aktivitetslogg",), made)
    assert sv.lines() == ["Händelser · Tantolunden · jan–jun 2024",
                          "Data t.o.m. 30 juni 2024 · Källor: Aktivitetslogg · Skapad 27 november 2026 14:05"]
    en = Caption("Incidents", "Whole area · all months", None, (), made, "en")
    assert en.lines()[1].startswith("Data through no data · Sources: –")


def test_page_caption_reads_the_latest_date_and_sources_within_the_filter(sample_engine):
    caption = page_caption(reads_for(None, sample_engine), "handelser", TWO_PARKS, NAMES,
                           now=datetime(2026, 1, 1, 9, 0))
    assert caption.title == "Händelser"
    assert caption.filters == "Tantolunden, Drakenbergsparken · jan–jun 2024"
    assert caption.data_through is not None and caption.data_through <= date(2024, 6, 30)
    assert caption.data_through >= date(2024, 6, 1)
    assert "Händelselogg (polis, EST)" in caption.sources


def test_page_caption_names_the_chosen_categories_in_words(sample_engine):
    state = FilterState(("tantolunden",), date(2024, 1, 1), date(2024, 6, 1), ("narkotikaforsaljning", "sprutfynd"))
    names = {"narkotikaforsaljning": "Misstänkt narkotikaförsäljning", "sprutfynd": "Sprutfynd"}
    sv = page_caption(reads_for(None, sample_engine), "handelser", state, NAMES, "sv", now=datetime(2026, 1, 1, 9, 0),
                      category_names=names)
    assert sv.lines()[0] == \
        "Händelser · Tantolunden · jan–jun 2024 · Kategorier: Misstänkt narkotikaförsäljning, Sprutfynd"
    en = page_caption(reads_for(None, sample_engine), "handelser", state, NAMES, "en",
                      figure_title="Incidents per month",
                      now=datetime(2026, 1, 1, 9, 0),
                      category_names={"narkotikaforsaljning": "Suspected drug dealing", "sprutfynd": "Syringe find"})
    assert en.lines()[0] == ("Incidents · Incidents per month · Tantolunden · Jan–Jun 2024 · "
                             "Categories: Suspected drug dealing, Syringe find")
    unfiltered = page_caption(reads_for(None, sample_engine), "handelser", TWO_PARKS, NAMES)
    assert "Kategori" not in unfiltered.filters  # none chosen: all


def test_data_through_is_the_latest_incident_of_the_chosen_categories(sample_engine):
    """'Data t.o.m.' of a view of some categories is their latest incident, not the latest of every category."""
    from sqlalchemy import text

    with sample_engine.connect() as conn:
        latest = {category: date.fromisoformat(str(day)[:10]) for category, day in conn.execute(text(
            "SELECT category, MAX(date) FROM incidents WHERE place_id = 'tantolunden' GROUP BY category"))}
    category = min(latest, key=latest.get)  # the category whose last incident is the oldest
    assert latest[category] < max(latest.values())  # else the test could not tell the two apart
    state = FilterState(("tantolunden",), None, None, (category,))
    assert page_caption(reads_for(None, sample_engine), "handelser", state, NAMES).data_through == latest[category]
    everything = page_caption(reads_for(None, sample_engine), "handelser", FilterState(("tantolunden",)), NAMES)
    assert everything.data_through == max(latest.values())


def test_a_partners_caption_names_the_sources_of_the_whole_view_not_of_a_small_cell(sample_engine):
    """Issue 10: a caption for one place, month and category named the one source its hidden incidents came from.
    For a partner it names every source of the page's kinds over the whole area; styrgrupp still sees the cell's."""
    from sqlalchemy import text

    with sample_engine.connect() as conn:
        area = {source for (source,) in conn.execute(text("SELECT DISTINCT source FROM incidents"))}
        cells = conn.execute(text("""SELECT place_id, month, category, MIN(source) FROM incidents
            GROUP BY place_id, month, category HAVING COUNT(*) BETWEEN 1 AND 4 AND COUNT(DISTINCT source) = 1
            ORDER BY place_id, month, category""")).all()
    assert len(area) >= 2 and cells, "the sample store must have several sources and one-source small cells"
    from lagesbild.captions import source_label

    for place, month, category, source in cells[:5]:
        first = date.fromisoformat(str(month)[:10])
        state = FilterState((place,), first, first, (category,))
        partner = page_caption(reads_for("partner", sample_engine), "handelser", state, {place: place})
        styrgrupp = page_caption(reads_for("styrgrupp", sample_engine), "handelser", state, {place: place})
        assert styrgrupp.sources == (source_label(source, "sv"),)
        assert set(partner.sources) == {source_label(s, "sv") for s in area}
