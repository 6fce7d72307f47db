"""Every word the records show, in Swedish and English: kinds, fields, allowed values and validation messages."""

from __future__ import annotations

Label = dict[str, str]  # {"sv": ..., "en": ...}

# The kinds, in the order of the template's sheets; the Swedish label is the sheet's name.
KIND_LABELS: dict[str, Label] = {
    "actions": {"sv": "Beslut och åtgärder", "en": "Decisions and actions"},
    "risks": {"sv": "Risker", "en": "Risks"},
    "risk_reviews": {"sv": "Riskuppföljning", "en": "Risk reviews"},
    "change_requests": {"sv": "Ändringsbegäran", "en": "Change requests"},
    "budget": {"sv": "Budget", "en": "Budget"},
    "classifications": {"sv": "Klassning", "en": "Classification"},
}

# Fields shared by every kind, then each kind's own; the Swedish label is the template's column header.
COMMON_FIELD_LABELS: dict[str, Label] = {
    "record_id": {"sv": "ID", "en": "ID"},
    "shared": {"sv": "Delas med partner", "en": "Shared with partners"},
}
FIELD_LABELS: dict[str, dict[str, Label]] = {
    "actions": {
        "title": {"sv": "Beslut/åtgärd", "en": "Decision/action"},
        "meeting": {"sv": "Möte", "en": "Meeting"},
        "meeting_on": {"sv": "Mötesdatum", "en": "Meeting date"},
        "owner": {"sv": "Ansvarig", "en": "Owner"},
        "due_on": {"sv": "Klart senast", "en": "Due"},
        "status": {"sv": "Status", "en": "Status"},
        "closed_on": {"sv": "Avslutad datum", "en": "Closed on"},
        "indicator_ids": {"sv": "Indikatorer", "en": "Indicators"},
        "place_ids": {"sv": "Platser", "en": "Places"},
        "note": {"sv": "Kommentar", "en": "Note"},
    },
    "risks": {
        "title": {"sv": "Risk", "en": "Risk"},
        "measures": {"sv": "Åtgärder", "en": "Measures"},
        "owner": {"sv": "Ansvarig", "en": "Owner"},
        "identified_on": {"sv": "Identifierad datum", "en": "Identified on"},
        "status": {"sv": "Status", "en": "Status"},
        "closed_on": {"sv": "Avslutad datum", "en": "Closed on"},
        "note": {"sv": "Kommentar", "en": "Note"},
    },
    "risk_reviews": {
        "risk_id": {"sv": "Risk-ID", "en": "Risk ID"},
        "month": {"sv": "Månad", "en": "Month"},
        "probability": {"sv": "Sannolikhet (1–5)", "en": "Probability (1–5)"},
        "consequence": {"sv": "Konsekvens (1–5)", "en": "Consequence (1–5)"},
        "note": {"sv": "Kommentar", "en": "Note"},
    },
    "change_requests": {
        "title": {"sv": "Rubrik", "en": "Title"},
        "change_kinds": {"sv": "Vad ändras", "en": "What changes"},
        "description": {"sv": "Beskrivning av ändringen", "en": "Description of the change"},
        "reason": {"sv": "Varför", "en": "Why"},
        "amount_sek": {"sv": "Belopp (kr)", "en": "Amount (SEK)"},
        "requested_by": {"sv": "Begärd av", "en": "Requested by"},
        "submitted_on": {"sv": "Inlämnad datum", "en": "Submitted on"},
        "status": {"sv": "Status", "en": "Status"},
        "decided_on": {"sv": "Beslutsdatum", "en": "Decided on"},
        "decided_how": {"sv": "Hur beslutades", "en": "How it was decided"},
    },
    "budget": {
        "month": {"sv": "Månad", "en": "Month"},
        "category": {"sv": "Kategori", "en": "Category"},
        "amount_sek": {"sv": "Belopp (kr)", "en": "Amount (SEK)"},
        "description": {"sv": "Beskrivning", "en": "Description"},
        "status": {"sv": "Status", "en": "Status"},
    },
    "classifications": {
        "assessed_on": {"sv": "Bedömningsdatum", "en": "Assessed on"},
        "assessed_by": {"sv": "Bedömd av", "en": "Assessed by"},
        "outcome": {"sv": "Utfall", "en": "Outcome"},
        "basis": {"sv": "Motivering", "en": "Basis"},
        "reference": {"sv": "Källa/diarienummer", "en": "Source/reference"},
        "status": {"sv": "Status", "en": "Status"},
    },
}

# Allowed values per list named in the schema's column info ("choices"), in display order.
CHOICES: dict[str, dict[str, Label]] = {
    "action_status": {
        "open": {"sv": "Öppen", "en": "Open"},
        "done": {"sv": "Klar", "en": "Done"},
        "cancelled": {"sv": "Struken", "en": "Cancelled"},
    },
    "risk_status": {
        "open": {"sv": "Aktiv", "en": "Active"},
        "closed": {"sv": "Avslutad", "en": "Closed"},
    },
    "change_status": {
        "submitted": {"sv": "Inlämnad", "en": "Submitted"},
        "approved": {"sv": "Godkänd", "en": "Approved"},
        "rejected": {"sv": "Avslagen", "en": "Rejected"},
        "withdrawn": {"sv": "Återtagen", "en": "Withdrawn"},
    },
    "change_kind": {
        "budget": {"sv": "Budget", "en": "Budget"},
        "time": {"sv": "Tid", "en": "Time"},
        "resources": {"sv": "Resurser", "en": "Resources"},
        "result": {"sv": "Resultat", "en": "Result"},
    },
    "budget_category": {
        "staff": {"sv": "Personal", "en": "Staff"},
        "outreach": {"sv": "Uppsökande arbete", "en": "Street outreach"},
        "urban_environment": {"sv": "Stadsmiljöåtgärder", "en": "Urban environment"},
        "activities": {"sv": "Aktiviteter och evenemang", "en": "Activities and events"},
        "grants": {"sv": "Föreningsbidrag", "en": "Association grants"},
        "communication": {"sv": "Kommunikation", "en": "Communication"},
        "evaluation": {"sv": "Utvärdering och mätningar", "en": "Evaluation and surveys"},
        "other": {"sv": "Övrigt", "en": "Other"},
    },
    "budget_status": {
        "booked": {"sv": "Bokförd", "en": "Booked"},
        "voided": {"sv": "Makulerad", "en": "Voided"},
    },
    "classification_outcome": {
        "classified": {"sv": "Klassad som öppen drogscen", "en": "Classified as an open drug scene"},
        "not_classified": {"sv": "Inte klassad som öppen drogscen", "en": "Not classified as an open drug scene"},
    },
    "classification_status": {
        "valid": {"sv": "Gällande", "en": "In force"},
        "withdrawn": {"sv": "Återkallad (felregistrerad)", "en": "Withdrawn (entered in error)"},
    },
    "yes_no": {
        "yes": {"sv": "Ja", "en": "Yes"},
        "no": {"sv": "Nej", "en": "No"},
    },
}

OPERATION_LABELS: dict[str, Label] = {
    "created": {"sv": "Skapad", "en": "Created"},
    "edited": {"sv": "Ändrad", "en": "Edited"},
    "closed": {"sv": "Avslutad", "en": "Closed"},
    "reopened": {"sv": "Återöppnad", "en": "Reopened"},
}

# Validation messages by reason code; {value}, {low}, {high}, {max}, {allowed}, {other} are filled in.
MESSAGES: dict[str, Label] = {
    "required": {"sv": "måste fyllas i", "en": "is required"},
    "not_integer": {"sv": "{value!r} är inte ett heltal", "en": "{value!r} is not a whole number"},
    "not_number": {"sv": "{value!r} är inte ett tal", "en": "{value!r} is not a number"},
    "not_date": {"sv": "{value!r} är inte ett datum (ÅÅÅÅ-MM-DD)", "en": "{value!r} is not a date (YYYY-MM-DD)"},
    "not_month": {"sv": "{value!r} är inte en månad (ÅÅÅÅ-MM)", "en": "{value!r} is not a month (YYYY-MM)"},
    "not_yes_no": {"sv": "{value!r} är inte Ja eller Nej", "en": "{value!r} is not Yes or No"},
    "out_of_range": {"sv": "{value!r} ligger inte mellan {low} och {high}",
                     "en": "{value!r} is not between {low} and {high}"},
    "too_long": {"sv": "är längre än {max} tecken", "en": "is longer than {max} characters"},
    "not_allowed": {"sv": "{value!r} är inte ett tillåtet värde; tillåtna: {allowed}",
                    "en": "{value!r} is not an allowed value; allowed: {allowed}"},
    "unknown_id": {"sv": "okänt id {value!r}; se bladet Tillåtna värden",
                   "en": "unknown id {value!r}; see the sheet Tillåtna värden"},
    "too_few": {"sv": "behöver minst ett värde", "en": "needs at least one value"},
    "bad_record_id": {"sv": "{value!r} duger inte som id: 1–64 tecken a–z, 0–9, . _ -",
                      "en": "{value!r} is not a usable id: 1–64 characters a–z, 0–9, . _ -"},
    "duplicate_id": {"sv": "id {value!r} finns redan på rad {other}", "en": "id {value!r} is already on row {other}"},
    "id_taken": {"sv": "id {value!r} finns redan; ändra den posten i stället",
                 "en": "id {value!r} is taken; edit that record instead"},
    "key_fixed": {"sv": "kan inte ändras: den ingår i postens id",
                  "en": "cannot change: it is part of the record's id"},
    "not_closing": {"sv": "{value!r} avslutar inte posten; avslutande: {allowed}",
                    "en": "{value!r} does not close the record; closing: {allowed}"},
    "no_such_risk": {"sv": "ingen risk med id {value!r}", "en": "no risk with id {value!r}"},
    "before": {"sv": "{value} ligger före {other}", "en": "{value} is before {other}"},
    "needs_close_date": {"sv": "måste fyllas i när status är {value}", "en": "is required when the status is {value}"},
    "close_date_when_open": {"sv": "ska vara tomt när status är {value}",
                             "en": "must be empty when the status is {value}"},
    "unknown_column": {"sv": "okänd kolumn {value!r}; förväntade: {allowed}",
                       "en": "unknown column {value!r}; expected: {allowed}"},
    "missing_column": {"sv": "kolumnen saknas", "en": "the column is missing"},
    "unknown_sheet": {"sv": "okänt blad {value!r}; förväntade: {allowed}",
                      "en": "unknown sheet {value!r}; expected: {allowed}"},
    "unreadable": {"sv": "filen kan inte läsas som Excel (.xlsx): {value}",
                   "en": "the file cannot be read as Excel (.xlsx): {value}"},
}


def label(entry: Label, lang: str = "sv") -> str:
    """The label in `lang`, else the Swedish one."""
    return entry.get(lang) or entry["sv"]


def choice_label(choices: str, code: str, lang: str = "sv") -> str:
    return label(CHOICES[choices][code], lang)


def options(choices: str, lang: str = "sv") -> list[tuple[str, str]]:
    """(code, label) of every allowed value, in order: a form's drop-down."""
    return [(code, label(entry, lang)) for code, entry in CHOICES[choices].items()]
