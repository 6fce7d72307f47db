"""Personal identity numbers never reach the store; identifying columns are refused."""

import pytest

from loaders.privacy import REDACTED, Redactor, column_holds_personnummer, identifying_headers


@pytest.mark.parametrize(
    "text",
    ["Man med pnr 850312-1234 avvisad", "Kvinna 19850312-1234 sågs", "id 198503121234 nämndes",
     "samordningsnummer 850372-1234"],
)
def test_personnummer_redacted(text):
    cleaned, found = Redactor().redact(text)
    assert found == 1
    assert REDACTED in cleaned
    assert "1234" not in cleaned


@pytest.mark.parametrize("text", ["Kl 21:14 vid bänken", "Ärende 2023-05-01", "Tel. 08-508 12 000", "851399-1234"])
def test_ordinary_text_untouched(text):
    assert Redactor().redact(text) == (text, 0)


def test_identifying_headers_found_whatever_the_spelling():
    assert identifying_headers(["Datum", "Personnummer", " NAMN ", "Team"]) == ["Personnummer", " NAMN "]


def test_a_column_of_personnummer_is_identifying_whatever_its_name():
    assert column_holds_personnummer(["850312-1234", "19900101-2222", None])
    assert not column_holds_personnummer(["Tantolunden", "12", None])
