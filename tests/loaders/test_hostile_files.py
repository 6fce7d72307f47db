"""Hostile and broken files are refused quickly, with a clear message, before they can use much memory."""

from __future__ import annotations

import resource
import shutil
import zipfile

import pytest

from loaders.read import ReadError
from loaders.registry import read_for
from tests.conftest import DATA_DIR


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_200_mb_csv_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"Datum;Tid;Plats;Kategori\n")
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    before = peak_rss_mib()
    with pytest.raises(ReadError, match=r"huge.csv: 200 MiB is more than the 100 MiB"):
        read_for(path, None)
    assert peak_rss_mib() - before < 50


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"\0" * (1 << 20)
            for _ in range(64):  # 64 MiB of zeros, compressed about a thousand to one
                entry.write(block)
    assert path.stat().st_size < 1024 * 1024
    before = peak_rss_mib()
    with pytest.raises(ReadError, match="bomb.xlsx: the workbook would expand to 64 MiB; refused as unsafe"):
        read_for(path, None)
    assert peak_rss_mib() - before < 50


def test_json_nested_100_000_deep_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ReadError, match="deep.json: not valid JSON"):
        read_for(path, None)


def test_a_truncated_workbook_is_refused(tmp_path):
    source = DATA_DIR / "bra_ntu_kommunala_resultat_2017-2022.xlsx"
    path = tmp_path / "cut.xlsx"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    with pytest.raises(ReadError, match="cut.xlsx"):
        read_for(path, None)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.touch()
    with pytest.raises(ReadError, match="empty.csv: the file is empty"):
        read_for(path, None)


def test_a_json_file_named_csv_is_read_as_json(tmp_path):
    path = shutil.copy(DATA_DIR / "polisen_excerpt.json", tmp_path / "feed.csv")
    source, table = read_for(path, None)
    assert (source.name, table.format) == ("polisen-feed", "json")
