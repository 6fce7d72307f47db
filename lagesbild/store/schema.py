"""The store schema, declared once; loaders write it, the dashboard's queries read it, Alembic migrates it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    true,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

places = Table(
    "places",
    metadata,
    Column("id", String(64), primary_key=True, comment="slug, e.g. tantolunden"),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False, comment="park, spot, area"),
    Column("area", String(200), nullable=False, comment="the area the place belongs to"),
    Column("is_unspecified", Boolean, nullable=False, default=False, comment="the area's 'ej specificerad'"),
    Column("aliases", JSON, nullable=False, default=list),
    Column("streets", JSON, nullable=False, default=list, comment="street names that place a text here"),
    Column("geometry", JSON, nullable=True, comment="GeoJSON geometry, lon/lat"),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("zone", String(16), nullable=False, server_default="area",
           comment="area: the area's own; buffer or comparison: outside it, kept for evaluating measures (its "
                   "records are never counted as the area's own)"),
)

loads = Table(
    "loads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("source", String(64), nullable=False, comment="format within the kind, e.g. polisen-feed"),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("loader_version", String(32), nullable=False),
    Column("started_at", DateTime(timezone=False), nullable=False),
    Column("finished_at", DateTime(timezone=False), nullable=False),
    Column("status", String(16), nullable=False, comment="loaded, partial, undone"),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_inserted", Integer, nullable=False, default=0),
    Column("rows_updated", Integer, nullable=False, default=0),
    Column("rows_duplicate", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("rows_skipped", Integer, nullable=False, default=0, comment="not facts of the area: digests, outside"),
    Column("report", JSON, nullable=False, default=dict, comment="kind-specific counts: placed, unplaced, ..."),
    Column("undone_at", DateTime(timezone=False), nullable=True, comment="when the load was undone (lagesbild unload)"),
    Column("undone_by", String(64), nullable=True, comment="who undid it"),
    # True while the load is in effect, NULL once undone: NULLs never collide, so an undone file can load again.
    Column("live", Boolean, nullable=True, server_default=true(), comment="true while in effect; null once undone"),
    Column("organisation", String(200), nullable=True, comment="the sender the load was made for (a partner's own)"),
    Column("loaded_by", String(64), nullable=True, comment="who loaded it: a user name, or cli:NAME"),
    # One load per file in effect: concurrent loads of one file race here (migration 0006 added `live`).
    UniqueConstraint("kind", "sha256", "live", name="uq_loads_kind_sha256"),
)

rejected_rows = Table(
    "rejected_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("load_id", Integer, ForeignKey("loads.id"), nullable=False, index=True),
    Column("row_number", Integer, nullable=False, comment="as the user sees it in the file (1-based)"),
    Column("column", String(200), nullable=True),
    Column("value", Text, nullable=True),
    Column("reason", Text, nullable=False),
    Column("raw", JSON, nullable=False, default=dict),
)


def _fact_columns(indexed: bool = True) -> list[Column]:
    """Columns every fact table has: identity, place, period, categories and lineage.

    `indexed`: place, month and category each get an index of their own; incidents have composite indexes that
    lead with each (below), and every index more is one more B-tree written per row of a load."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("natural_key", String(128), nullable=False, unique=True, comment="source id or identity hash"),
        Column("row_hash", String(32), nullable=False, comment="content hash: unchanged rows are not rewritten"),
        Column("source", String(64), nullable=False),
        Column("place_id", String(64), ForeignKey("places.id"), nullable=False, index=indexed),
        Column("date", Date, nullable=False),
        Column("month", Date, nullable=False, index=indexed, comment="first day of the month, set at load"),
        Column("category", String(64), nullable=False, index=indexed, comment="controlled vocabulary"),
        Column("source_category", String(200), nullable=True, comment="the source's own category"),
        Column("load_id", Integer, ForeignKey("loads.id"), nullable=False, index=True),
        Column("updated_load_id", Integer, ForeignKey("loads.id"), nullable=True),
    ]


incidents = Table(
    "incidents",
    metadata,
    *_fact_columns(indexed=False),
    Column("source_id", String(64), nullable=True, comment="the source's id, e.g. the police event id"),
    Column("occurred_at", DateTime(timezone=False), nullable=True, comment="local time; null if unknown"),
    Column("weekday", Integer, nullable=True, comment="0 = Monday"),
    Column("hour", Integer, nullable=True),
    Column("published_at", DateTime(timezone=False), nullable=True),
    Column("organisation", String(200), nullable=True),
    Column("summary", Text, nullable=True, comment="free text, personal identity numbers redacted"),
    Column("assessment", Text, nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("place_method", String(16), nullable=False, comment="polygon, alias, street, text, area"),
    Column("url", String(500), nullable=True),
)

outreach_shifts = Table(
    "outreach_shifts",
    metadata,
    *_fact_columns(),
    Column("start_time", Time, nullable=True),
    Column("end_time", Time, nullable=True),
    Column("team", String(200), nullable=False),
    Column("contacts", Integer, nullable=False, default=0),
    Column("new_persons", Integer, nullable=False, default=0),
    Column("referrals_beroendevard", Integer, nullable=False, default=0),
    Column("referrals_psykiatri", Integer, nullable=False, default=0),
    Column("referrals_boende", Integer, nullable=False, default=0),
    Column("referrals_halso_sjukvard", Integer, nullable=False, default=0),
    Column("referrals_socialtjanst", Integer, nullable=False, default=0),
    Column("referrals_ovrigt", Integer, nullable=False, default=0),
    Column("hours", Float, nullable=False, default=0.0),
    Column("note", Text, nullable=True, comment="free text, personal identity numbers redacted"),
)

REFERRAL_KINDS = ("beroendevard", "psykiatri", "boende", "halso_sjukvard", "socialtjanst", "ovrigt")

events = Table(
    "events",
    metadata,
    *_fact_columns(),
    Column("starts_at", DateTime(timezone=False), nullable=True),
    Column("ends_at", DateTime(timezone=False), nullable=True),
    Column("title", String(300), nullable=False),
    Column("organiser", String(200), nullable=True),
    Column("attendance", Integer, nullable=True),
    Column("cost_sek", Float, nullable=True),
    Column("grant_sek", Float, nullable=True, comment="föreningsbidrag"),
    Column("is_measure", Boolean, nullable=False, default=False, comment="a measure from which effect is sought"),
    Column("description", Text, nullable=True),
)

survey_results = Table(
    "survey_results",
    metadata,
    *_fact_columns(),
    Column("survey", String(200), nullable=False, comment="which survey, e.g. BRÅ NTU"),
    Column("wave", String(32), nullable=False, comment="e.g. 2023 or 2021–2022"),
    Column("period_end", Date, nullable=False),
    Column("geography", String(200), nullable=True, comment="the survey's own area label"),
    Column("question_code", String(64), nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("count", Integer, nullable=True),
    Column("share", Float, nullable=True, comment="0..1"),
    Column("n", Integer, nullable=True, comment="respondents; null when the source does not say"),
    Column("ci_low", Float, nullable=True),
    Column("ci_high", Float, nullable=True),
    Column("value_note", String(64), nullable=True, comment="why share is missing, e.g. BRÅ code x"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False, comment="argon2id; never the password"),
    Column("role", String(16), nullable=False, comment="admin, styrgrupp, dataansvarig, partner"),
    Column("session_generation", Integer, nullable=False, default=0, server_default="0",
           comment="in every session cookie; bumped to end all of the user's sessions (logout, passwd, role)"),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("last_login_at", DateTime(timezone=False), nullable=True),
    Column("organisation", String(200), nullable=True, comment="whose account: a partner's loads are tagged with it"),
    Column("upload_sources", JSON, nullable=True, comment="sources a partner may load and undo, e.g. outreach-shifts"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=False), nullable=False, index=True),
    Column("username", String(64), nullable=True, comment="who; null when unknown"),
    Column("action", String(32), nullable=False, comment="login, login_failed, logout, load, export, user_*"),
    Column("detail", Text, nullable=True),
)

Index("ix_incidents_month_place", incidents.c.month, incidents.c.place_id)
Index("ix_incidents_source_id", incidents.c.source, incidents.c.source_id)
# For the dashboard's aggregates over incidents, the one large table (migration 0004); each serves its queries from
# the index alone, without reading the rows: an indicator's categories per month, a place's months and categories,
# each source's date span and its months per place (Översikt, Data), weekday × hour (Händelser).
Index("ix_incidents_category_month", incidents.c.category, incidents.c.month)
Index("ix_incidents_place_month", incidents.c.place_id, incidents.c.month, incidents.c.category)
Index("ix_incidents_source_date", incidents.c.source, incidents.c.date)
Index("ix_incidents_source_month_place", incidents.c.source, incidents.c.month, incidents.c.place_id)
Index("ix_incidents_weekday_hour", incidents.c.weekday, incidents.c.hour)

FACT_TABLES: dict[str, Table] = {
    "incidents": incidents,
    "outreach": outreach_shifts,
    "events": events,
    "surveys": survey_results,
}
KINDS = tuple(FACT_TABLES)


def _versions_of(table: Table) -> Table:
    """Every version of a fact row that is no longer in the fact table: what a load updated, what an undo removed.

    A version is the whole row as it was (its `load_id`/`updated_load_id` say which load wrote it), with the load
    and time that ended it: `reason` 'update' (a later load changed the row; `superseded_load_id` is that load, and
    undoing it puts this version back) or 'undo' (the undo of `superseded_load_id` took this version out). So for
    each fact row, its versions ordered by `superseded_at`, followed by the row itself, are its whole history; the
    store as of a time T is, per row, the version whose span holds T (docs/architecture.md, "Loads, history and
    undo").
    """
    copied = [Column(c.name, c.type, nullable=c.nullable, comment=c.comment) for c in table.c if c.name != "id"]
    return Table(
        f"{table.name}_versions",
        metadata,
        Column("version_id", Integer, primary_key=True, autoincrement=True),
        Column("row_id", Integer, nullable=False, index=True, comment=f"the row's id in {table.name}"),
        *copied,
        Column("superseded_load_id", Integer, ForeignKey("loads.id"), nullable=False, index=True,
               comment="the load whose write or undo ended this version"),
        Column("superseded_at", DateTime(timezone=False), nullable=False),
        Column("reason", String(8), nullable=False, comment="update or undo"),
    )


VERSION_TABLES: dict[str, Table] = {kind: _versions_of(table) for kind, table in FACT_TABLES.items()}

column_mappings = Table(
    "column_mappings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation", String(200), nullable=False, comment="whose files; '' for any sender"),
    Column("kind", String(32), nullable=False),
    Column("source", String(64), nullable=False),
    Column("header_set", String(64), nullable=False, comment="sha256 of the file's folded, sorted header names"),
    Column("headers", JSON, nullable=False, comment="the file's headers as they were, for people to read"),
    Column("columns", JSON, nullable=False, comment="header -> field name, or 'ignore'"),
    Column("constants", JSON, nullable=False, comment="field name -> the value a missing column is filled with"),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("created_by", String(64), nullable=True),
    UniqueConstraint("organisation", "source", "header_set", name="uq_column_mappings_organisation"),
)


# --- the police feed fetched on a schedule (lagesbild fetch-police) -------------------------------------------------
feed_fetches = Table(
    "feed_fetches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=False), nullable=False, index=True, comment="when the fetch was made"),
    Column("url", String(500), nullable=False, comment="what was asked (the API's URL with its query)"),
    Column("result", String(16), nullable=False, comment="loaded, unchanged, failed"),
    Column("http_status", Integer, nullable=True),
    Column("events", Integer, nullable=True, comment="events in the response"),
    Column("load_id", Integer, ForeignKey("loads.id"), nullable=True),
    Column("message", Text, nullable=True, comment="what went wrong, or the load's summary"),
)


# --- secrets of the store ---------------------------------------------------------------------------------------
# `cell_key_salt` (lagesbild.disclosure): the store's secret part of every record's key, drawn when the store is
# made; a partner's rounded counts depend on it, so the same cell shows the same number to every process that reads
# this store, and no one without it can tell which way a cell was rounded.
store_secrets = Table(
    "store_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)


# --- the project's own records (lagesbild.records): every version is a row --------------------------------------
# Each table holds all versions of its kind of record: a record is its `record_id`, its current state the row with
# the highest `version`, its state at a date the highest version recorded by then. Rows are only ever added.
# `info` on a column is the validation the records layer derives from it (lagesbild/records/fields.py):
#   choices  the name of a list of allowed codes (lagesbild/records/words.py), one value or a list
#   range    (low, high) inclusive, for numbers
#   ids      "indicators" | "places": a list of ids from lagesbild/config
#   month    True: a date snapped to the first day of its month
#   refers   the kind whose record_id this column holds
#   min_items the least number of values in a list


def _record_version_columns(table_name: str, shared: bool = True) -> list:
    """Identity and version columns every record table has; `shared` is left out where the parent decides."""
    columns = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("record_id", String(64), nullable=False, comment="stable key, e.g. R-001: the template's ID column"),
        Column("version", Integer, nullable=False, comment="1 at creation, +1 at every change"),
        Column("recorded_at", DateTime(timezone=False), nullable=False, comment="when this version was written"),
        Column("recorded_by", String(64), nullable=False, comment="who wrote it (user name)"),
        Column("operation", String(16), nullable=False, comment="created, edited, closed"),
        Column("changes", JSON, nullable=False, default=dict, comment="{field: [before, after]} against the last"),
        UniqueConstraint("record_id", "version", name=f"uq_{table_name}_record_id_version"),
    ]
    if shared:
        columns.insert(6, Column("shared", Boolean, nullable=False, comment="partners may read this record"))
    return columns


record_actions = Table(
    "record_actions",
    metadata,
    *_record_version_columns("record_actions"),
    Column("title", Text, nullable=False, comment="what was decided or is to be done"),
    Column("meeting", String(200), nullable=True, comment="the meeting, e.g. Styrgruppsmöte mars 2023"),
    Column("meeting_on", Date, nullable=False, comment="the meeting's date"),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=True),
    Column("status", String(16), nullable=False, info={"choices": "action_status"}),
    Column("closed_on", Date, nullable=True, comment="done or cancelled on"),
    Column("indicator_ids", JSON, nullable=False, default=list, info={"ids": "indicators"}),
    Column("place_ids", JSON, nullable=False, default=list, info={"ids": "places"}),
    Column("note", Text, nullable=True),
)

record_risks = Table(
    "record_risks",
    metadata,
    *_record_version_columns("record_risks"),
    Column("title", Text, nullable=False, comment="the risk"),
    Column("measures", Text, nullable=True, comment="what is done to lower its probability or consequence"),
    Column("owner", String(200), nullable=False),
    Column("identified_on", Date, nullable=False),
    Column("status", String(16), nullable=False, info={"choices": "risk_status"}),
    Column("closed_on", Date, nullable=True),
    Column("note", Text, nullable=True),
)

record_risk_reviews = Table(
    "record_risk_reviews",
    metadata,
    *_record_version_columns("record_risk_reviews", shared=False),  # shared as its risk is
    Column("risk_id", String(64), nullable=False, index=True, info={"refers": "risks"}),
    Column("month", Date, nullable=False, comment="first day of the month reviewed", info={"month": True}),
    Column("probability", Integer, nullable=False, info={"range": (1, 5)}),
    Column("consequence", Integer, nullable=False, info={"range": (1, 5)}),
    Column("note", Text, nullable=True),
)

record_change_requests = Table(
    "record_change_requests",
    metadata,
    *_record_version_columns("record_change_requests"),
    Column("title", Text, nullable=False),
    Column("change_kinds", JSON, nullable=False, default=list, comment="budget, time, resources, result",
           info={"choices": "change_kind", "min_items": 1}),
    Column("description", Text, nullable=False, comment="what changes"),
    Column("reason", Text, nullable=False, comment="why"),
    Column("amount_sek", Float, nullable=True, comment="the change to the budget, when it has one"),
    Column("requested_by", String(200), nullable=False),
    Column("submitted_on", Date, nullable=False),
    Column("status", String(16), nullable=False, info={"choices": "change_status"}),
    Column("decided_on", Date, nullable=True),
    Column("decided_how", Text, nullable=True, comment="by whom and where, e.g. styrgruppen 2023-05-09, § 4"),
)

record_budget_entries = Table(
    "record_budget_entries",
    metadata,
    *_record_version_columns("record_budget_entries"),
    Column("month", Date, nullable=False, index=True, comment="first day of the month", info={"month": True}),
    Column("category", String(32), nullable=False, info={"choices": "budget_category"}),
    Column("amount_sek", Float, nullable=False, comment="spent; negative for a correction"),
    Column("description", Text, nullable=True),
    Column("status", String(16), nullable=False, info={"choices": "budget_status"}),
)

record_classifications = Table(
    "record_classifications",
    metadata,
    *_record_version_columns("record_classifications"),
    Column("assessed_on", Date, nullable=False),
    Column("assessed_by", String(200), nullable=False, comment="e.g. Polisen, LPO Södermalm"),
    Column("outcome", String(32), nullable=False, info={"choices": "classification_outcome"}),
    Column("basis", Text, nullable=True, comment="what the assessment rests on"),
    Column("reference", String(200), nullable=True, comment="the police's document, e.g. a diary number"),
    Column("status", String(16), nullable=False, info={"choices": "classification_status"}),
)

RECORD_TABLES: dict[str, Table] = {
    "actions": record_actions,
    "risks": record_risks,
    "risk_reviews": record_risk_reviews,
    "change_requests": record_change_requests,
    "budget": record_budget_entries,
    "classifications": record_classifications,
}
