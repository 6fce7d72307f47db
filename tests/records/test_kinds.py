"""The one declaration: every record field comes from its table, has words in both languages and sound rules."""

from __future__ import annotations

from lagesbild.records.kinds import KINDS, VERSION_COLUMNS
from lagesbild.records.words import CHOICES, KIND_LABELS, MESSAGES
from lagesbild.store.schema import RECORD_TABLES


def test_every_column_a_user_fills_in_is_a_field_with_swedish_and_english_words():
    for name, kind in KINDS.items():
        columns = {c.name for c in RECORD_TABLES[name].columns} - set(VERSION_COLUMNS)
        assert {f.name for f in kind.fields} == columns, name
        for spec in kind.fields:
            assert spec.labels["sv"] and spec.labels["en"], (name, spec.name)
        assert set(KIND_LABELS[name]) == {"sv", "en"}


def test_every_list_of_choices_exists_with_both_languages_and_statuses_split_open_and_closed():
    for kind in KINDS.values():
        for spec in kind.fields:
            if spec.choices:
                assert all(set(entry) == {"sv", "en"} for entry in CHOICES[spec.choices].values()), spec.choices
        if kind.statuses:
            assert kind.open_statuses and set(kind.open_statuses) <= set(kind.statuses), kind.name
            assert kind.close_status is None or kind.close_status in kind.closed_statuses, kind.name
    for message in MESSAGES.values():
        assert set(message) == {"sv", "en"}


def test_sheet_names_fit_excel_and_headers_are_unique_per_sheet():
    for kind in KINDS.values():
        assert len(kind.label("sv")) <= 31
        headers = [f.label("sv") for f in kind.fields]
        assert len(headers) == len(set(headers)), kind.name
