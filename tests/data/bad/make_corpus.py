"""Write the corpus of bad (and awkward but good) input files and its manifest.

Run from the project root: ``python tests/data/bad/make_corpus.py``. The output
is deterministic (fixed contents, fixed zip timestamps in the workbooks), so
rerunning it leaves ``git status`` clean. The files are committed too, so the
tests do not depend on this script having been run.

Each case in :data:`CASES` says the input kind, the exact exit code of
``outcomes validate FILE --kind KIND`` and words the output must contain: the
file name always, and the line and column where a problem has one (written as
they appear in the problem table, ``| line | column |``). ``absent`` lists
text that must never appear (identity numbers). ``rows`` gives
``[read, accepted, rejected]`` for files that are read.

The identity numbers below are synthetic: valid check digits built with the
mod-11 rule, not anyone's number.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

FOLLOWUP_HEADER = "participant_id,department,followup_year,status,exit_year,gender,birth_year"
GOOD = [
    "UI0001,Drammen,2019,Utdanning,2018,K,2000",
    "UI0002,Kongsberg,2019,Arbeid,2019,M,1999",
    "UI0003,Drammen,2020,Tiltak,2019,K,2001",
]
COSTS_HEADER = "year,category,amount_nok,price_year,payer"
GOOD_COSTS = [
    "2019,staff,1200000,2019,county",
    "2019,premises,250000,2019,municipality",
    "2020,staff,1250000,2020,county",
]
#: Synthetic fødselsnummer (15.05.90) and D-number (day + 40), valid mod-11.
FNR = "15059012387"
DNUMBER = "55059012370"
#: Synthetic H-number (month + 40: 15.45.90), valid mod-11.
HNUMBER = "15459012017"


def followup(*rows: str, header: str = FOLLOWUP_HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def costs(*rows: str, header: str = COSTS_HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def case(kind: str, exit: int, words: list[str], rows: list[int] | None = None,
         absent: list[str] | None = None, note: str = "") -> dict:
    out: dict = {"kind": kind, "exit": exit, "words": words}
    if rows is not None:
        out["rows"] = rows
    if absent:
        out["absent"] = absent
    if note:
        out["note"] = note
    return out


def _workbook(sheets: list[tuple[str, str, list[list[object]]]]) -> bytes:
    """A workbook of ``(title, state, rows)`` sheets (state ``visible``, ``hidden`` or ``veryHidden``), fixed timestamps."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
            item = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            item.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(item, data)
    return fixed.getvalue()


def _random_digit_ids(count: int, seed: int) -> list[str]:
    """``count`` distinct random 11-digit pseudonyms (a few pass the identity-number check by chance)."""
    import random

    rng = random.Random(seed)
    out: dict[str, None] = {}
    while len(out) < count:
        out["".join(rng.choice("0123456789") for _ in range(11))] = None
    return list(out)


def _xlsx(rows: list[list[object]]) -> bytes:
    """A one-sheet workbook with fixed timestamps, so the bytes never change."""
    return _workbook([("Data", "visible", rows)])


def _replace_part(workbook: bytes, name: str, content: bytes) -> bytes:
    """``workbook`` with the zip part ``name`` replaced by ``content`` (fixed timestamps, same order)."""
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            item = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            item.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(item, content if info.filename == name else source.read(info.filename))
    return fixed.getvalue()


def _wrong_dimension(rows: list[list[object]], stated: str) -> bytes:
    """A workbook whose sheet states its size (``<dimension ref=...>``) as ``stated``, as some export tools do."""
    workbook = _xlsx(rows)
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    sheet, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="' + stated.encode() + b'"', sheet)
    assert count == 1
    return _replace_part(workbook, "xl/worksheets/sheet1.xml", sheet)


def _zip_bomb() -> bytes:
    """A workbook of about 60 KB whose sheet expands to about 17 MB: a header and 250,000 identical rows.

    Stored about 290 times smaller than it expands (real sheets: 10-20 times), over
    the reader's limit of 100; opened, it would be parsed cell by cell for minutes.
    """
    def cell(text: str) -> str:
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    header = "<row>" + "".join(cell(t) for t in ("participant_id", "department", "followup_year", "status")) + "</row>"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + header + "<row><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>" * 250_000
             + "</sheetData></worksheet>")
    return _replace_part(_xlsx([["x"]]), "xl/worksheets/sheet1.xml", sheet.encode("utf-8"))


def corpus() -> dict[str, tuple[bytes, dict]]:
    """``{file name: (bytes, case)}`` for every file of the corpus."""
    files: dict[str, tuple[bytes, dict]] = {}

    def add(name: str, content: str | bytes, spec: dict) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        spec["words"] = [name, *spec["words"]]
        files[name] = (data, spec)

    # --- files that cannot be used at all (exit 2) -------------------------------
    add("empty.csv", b"", case("followup", 2, ["the file is empty"]))
    add("blank_lines_only.csv", b"\r\n \r\n\t\r\n", case("followup", 2, ["the file is empty"]))
    add("page_breaks_only.csv", "\x0c\n\u2028\n".encode("utf-8"), case("followup", 2, ["the file is empty"]))
    add("unclosed_quote.csv", followup(GOOD[0], 'UI0002,"Drammen,2019,Arbeid,2019,M,1999', GOOD[2]),
        case("followup", 2, ["line 3", "never closed"],
             note="without the check the rest of the file became one value of one row"))
    add("header_only.csv", followup(), case(
        "followup", 2, ["no data rows"],
        note="decided: a header without rows is unusable (a lost export or wrong sheet), not an empty success"))
    add("utf16.csv", followup(*GOOD).encode("utf-16"), case("followup", 2, ["not text", "UTF-16"]))
    add("binary.csv", bytes(range(256)) * 4, case("followup", 2, ["not text"]))
    add("missing_status_column.csv", followup("UI0001,Drammen,2019", header="participant_id,department,followup_year"),
        case("followup", 2, ["line 1", "column 'status'", "required column", "missing"]))
    add("duplicate_header.csv", followup("UI0001,Drammen,Drammen,2019,Arbeid",
                                         header="participant_id,department,department,followup_year,status"),
        case("followup", 2, ["line 1", "column 'department'", "twice"]))
    add("two_aliases_same_column.csv", followup("UI0001,Drammen,2019,2019,Arbeid",
                                                header="participant_id,department,År,followup_year,status"),
        case("followup", 2, ["line 1", "both mean 'followup_year'"]))
    add("empty_header_cell.csv", followup("UI0001,Drammen,x,2019,Arbeid",
                                          header="participant_id,department,,followup_year,status"),
        case("followup", 2, ["line 1", "column 3", "no name"]))
    add("too_many_cells.csv", followup(GOOD[0], GOOD[1], "UI0004,Drammen,2019,Arbeid,2019,K,2000,extra"),
        case("followup", 2, ["line 4", "8 cells", "header has 7"]))
    add("not_a_workbook.xlsx", b"participant_id,department\nUI0001,Drammen\n",
        case("followup", 2, ["cannot be opened"]))
    add("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        case("followup", 2, [".xls", "not read"]))

    add("mixed_encoding.csv",
        followup(GOOD[0], "UI0002,Bærum,2019,Arbeid,2019,M,1999").encode("utf-8")
        + "UI0003,Ørland,2020,Tiltak,2019,K,2001\n".encode("cp1252") + GOOD[1].encode("utf-8") + b"\n",
        case("followup", 2, ["line 4", "mixes two text encodings", "0xD8", "save the file as UTF-8"],
             absent=["BÃ¦rum", "Ã˜rland"],
             note="one Windows-1252 line in a UTF-8 file; read as Windows-1252 the whole file was published garbled"))
    add("undefined_byte.csv", followup(GOOD[0]).encode("utf-8") + b"UI0002,Dr\x81mmen,2019,Arbeid,2019,M,1999\n",
        case("followup", 2, ["line 3", "neither UTF-8 nor Windows-1252", "0x81"],
             note="was read with the byte replaced by U+FFFD"))
    add("zip_bomb.xlsx", _zip_bomb(),
        case("followup", 2, ["would expand", "times", "limit of 100 times", "zip bomb", "CSV"],
             note="60 KB that expands to 17 MB; refused from the zip directory before anything is expanded"))

    # --- direct identifiers: refused, the value never echoed (exit 2) -----------------
    add("fnr_as_participant_id.csv", followup(GOOD[0], f"{FNR},Drammen,2019,Arbeid,2019,M,1990"),
        case("followup", 2, ["column 'participant_id'", "refused", "identity numbers"], absent=[FNR]))
    add("fnr_column.csv", followup(f"UI0001,Drammen,2019,Arbeid,{FNR}", f"UI0002,Drammen,2019,Arbeid,{FNR[:6]} {FNR[6:]}",
                                   header="participant_id,department,followup_year,status,kode"),
        case("followup", 2, ["column 'kode'", "refused"], absent=[FNR, f"{FNR[:6]} {FNR[6:]}"]))
    add("dnumber.csv", followup(f"UI0001,Drammen,2019,Arbeid,{DNUMBER}",
                                header="participant_id,department,followup_year,status,referanse"),
        case("followup", 2, ["column 'referanse'", "refused", "D-number"], absent=[DNUMBER]))
    add("fnr_inside_text.csv", followup(GOOD[0], f"P{FNR},Drammen,2019,Arbeid,2019,M,1990"),
        case("followup", 2, ["column 'participant_id'", "refused"], absent=[FNR],
             note="a pseudonym that is an identity number with a prefix is not a pseudonym"))
    # 01019012480 (1 Jan 1990; check digits: 0*3+1*7+0*6+1*1+9*8+0*9+1*4+2*5+4*2 = 102, 11 - 102 % 11 = 8;
    # 0*5+1*4+0*3+1*2+9*7+0*6+1*5+2*4+4*3+8*2 = 110, 110 % 11 = 0 -> 0) as a spreadsheet number: 1019012480
    add("fnr_leading_zero_lost.csv", followup(GOOD[0], "1019012480,Drammen,2019,Arbeid,2019,M,1990"),
        case("followup", 2, ["column 'participant_id'", "refused", "leading 0 lost"], absent=["1019012480", "01019012480"],
             note="an identity number born on day 1-9 that Excel stored as a number has 10 digits"))
    add("duplicate_fnr_headers.csv", f"{FNR},{FNR},x\nUI0001,Drammen,2019\n",
        case("followup", 2, ["column 2", "twice"], absent=[FNR]))
    add("no_header_fnr.csv", f"{FNR},Drammen,2019,Arbeid\n",
        case("followup", 2, ["column 1", "refused", "header row missing"], absent=[FNR],
             note="no header row: the first record, an identity number, would be read as a header"))
    add("navn_column.csv", followup("UI0001,Drammen,2019,Arbeid,Kari Nordmann",
                                    header="participant_id,department,followup_year,status,Navn"),
        case("followup", 2, ["column 'Navn'", "refused"], absent=["Kari Nordmann"]))
    add("epost_column.csv", followup("UI0001,Drammen,2019,Arbeid,kari@example.no",
                                     header="participant_id,department,followup_year,status,E-post"),
        case("followup", 2, ["column 'E-post'", "refused"], absent=["kari@example.no"]))
    add("telefon_column.csv", followup("UI0001,Drammen,2019,Arbeid,+47 912 34 567",
                                       header="participant_id,department,followup_year,status,Telefon"),
        case("followup", 2, ["column 'Telefon'", "refused"], absent=["912 34 567"]))
    add("adresse_column.csv", followup("UI0001,Drammen,2019,Arbeid,Storgata 1",
                                       header="participant_id,department,followup_year,status,Adresse"),
        case("followup", 2, ["column 'Adresse'", "refused"], absent=["Storgata 1"]))

    # --- identity numbers however written, in any column, sheet or file name (issue 13; exit 2) ----
    columns = FOLLOWUP_HEADER.split(",")
    for name, column, value in (
        ("fnr_department_dotted.csv", "department", "Drammen 15.05.90 12387"),
        ("fnr_en_dash.csv", "participant_id", "150590\u201312387"),
        ("fnr_non_breaking_hyphen.csv", "participant_id", "150590\u201112387"),
        ("fnr_soft_hyphen.csv", "department", "Drammen 150590\u00ad12387"),
        ("fnr_zero_width_space.csv", "participant_id", "15059\u200b012387"),
        ("fnr_no_break_space_in_text.csv", "department", "Drammen\u00a0150590\u00a012387"),
        ("fnr_slash.csv", "department", "15/05/90 12387"),
        ("fnr_groups_6_3_2.csv", "department", "150590 123 87"),
        ("fnr_dotted_3_2.csv", "department", "Drammen 15.05.90 123 87"),
        ("hnumber.csv", "department", f"{HNUMBER[:6]}-{HNUMBER[6:]}"),
    ):
        row = dict(zip(columns, GOOD[1].split(",")))
        row[column] = value
        add(name, followup(GOOD[0], ",".join(row.values()), GOOD[2]),
            case("followup", 2, [f"column '{column}'", "refused", "identity numbers"],
                 absent=sorted({FNR, HNUMBER if name == "hnumber.csv" else FNR, value}),
                 note="was accepted and published (page, CSV, summary.json) before the screen normalised text"))
    add("fnr_underscore_column.csv",
        followup(GOOD[0] + ",", "UI0002,Drammen,2099,Arbeid,2019,M,1999,ring 15.05.90 12387",
                 header=FOLLOWUP_HEADER + ",_notes"),
        case("followup", 2, ["column '_notes'", "refused"], absent=[FNR, "15.05.90 12387"],
             note="columns whose header starts with _ were not screened; the number landed in the rejects file"))
    add(f"followup_{FNR}.csv", followup(*GOOD),
        case("followup", 2, ["refused", "file's name", "followup_###########.csv", "Rename the file"], absent=[FNR],
             note="the name was published in summary.json, the methods page and the follow-up data table"))
    files[f"followup_{FNR}.csv"][1]["words"].remove(f"followup_{FNR}.csv")  # the one file never named: masked
    add("fnr_hidden_sheet.xlsx", _workbook([
        ("Data", "visible", [FOLLOWUP_HEADER.split(","), *[r.split(",") for r in GOOD]]),
        ("Nøkkel", "hidden", [["pseudonym", "nummer"], ["UI0001", int(FNR)], ["UI0002", f"{FNR[:6]} {FNR[6:]}"]]),
    ]), case("followup", 2, ["refused", "sheet 'Nøkkel' (hidden)", "column 'Nøkkel!B'"], absent=[FNR]))
    add("fnr_very_hidden_sheet.xlsx", _workbook([
        ("Data", "visible", [FOLLOWUP_HEADER.split(","), *[r.split(",") for r in GOOD]]),
        ("Ark2", "veryHidden", [["Drammen 15.05.90 12387"]]),
    ]), case("followup", 2, ["refused", "sheet 'Ark2' (very hidden)", "column 'Ark2!A'"], absent=[FNR]))
    pseudonyms = _random_digit_ids(1500, seed=1)
    add("random_digit_pseudonyms.csv",
        followup(*(f"{p},Drammen,2019,Arbeid,2019,K,2000" for p in pseudonyms)),
        case("followup", 2, ["column 'participant_id'", "3 of 1500 numbers", "about what random digits give",
                             "confirm_random_ids"],
             note="random numeric pseudonyms: 3 pass the check by chance (2.7 expected); refused, but the message "
                  "says so and how to confirm (tests/test_identity_screen.py confirms)"))

    # --- some rows rejected (exit 1) -------------------------------------------------
    add("unknown_status.csv", followup(GOOD[0], "UI0002,Drammen,2019,Romfart,2019,M,1999"),
        case("followup", 1, ["| 3 | status |", "Romfart", "not in the status map", "status_map.yml"], rows=[2, 1, 1]))
    add("future_year.csv", followup(GOOD[0], "UI0002,Drammen,2099,Arbeid,2019,M,1999"),
        case("followup", 1, ["| 3 | followup_year |", "above the highest allowed value"], rows=[2, 1, 1]))
    add("year_before_1990.csv", followup(GOOD[0], "UI0002,Drammen,1989,Arbeid,,M,"),
        case("followup", 1, ["| 3 | followup_year |", "below the lowest allowed value 1990"], rows=[2, 1, 1]))
    add("non_integer_year.csv", followup(GOOD[0], "UI0002,Drammen,tjuenitten,Arbeid,2019,M,1999"),
        case("followup", 1, ["| 3 | followup_year |", "tjuenitten", "not a whole number"], rows=[2, 1, 1]))
    add("decimal_year.csv", followup("UI0001;Drammen;2019;Utdanning;2018;K;2000", "UI0002;Drammen;2019,5;Arbeid;2019;M;1999",
                                     header=FOLLOWUP_HEADER.replace(",", ";")),
        case("followup", 1, ["| 3 | followup_year |", "2019,5", "not a whole number"], rows=[2, 1, 1]))
    add("huge_number_year.csv", followup(GOOD[0], "UI0002,Drammen,1e400,Arbeid,,M,"),
        case("followup", 1, ["| 3 | followup_year |", "not a whole number"], rows=[2, 1, 1]))
    add("duplicate_participant_year.csv", followup(GOOD[0], GOOD[1], "UI0001,Kongsberg,2019,Arbeid,2018,K,2000"),
        case("followup", 1, ["| 2 | participant_id, followup_year |", "| 4 | participant_id, followup_year |",
                             "duplicate record (also on line 2)"], rows=[3, 1, 2]))
    add("exit_after_followup.csv", followup(GOOD[0], "UI0002,Drammen,2019,Arbeid,2020,M,1999"),
        case("followup", 1, ["| 3 | exit_year, followup_year |", "exit year is after the follow-up year"], rows=[2, 1, 1]))
    add("implausible_birth_year.csv", followup(GOOD[0], "UI0002,Drammen,2019,Arbeid,2019,M,2015",
                                               "UI0003,Drammen,2019,Arbeid,2019,M,1900"),
        case("followup", 1, ["| 3 | followup_year, birth_year |", "younger than 13",
                             "| 4 | birth_year |", "below the lowest allowed value 1950"], rows=[3, 1, 2]))
    add("missing_participant_id.csv", followup(GOOD[0], ",Drammen,2019,Arbeid,2019,M,1999"),
        case("followup", 1, ["| 3 | participant_id |", "missing value"], rows=[2, 1, 1]))
    add("id_bad_characters.csv", followup(GOOD[0], "UI 0002#,Drammen,2019,Arbeid,2019,M,1999"),
        case("followup", 1, ["| 3 | participant_id |", "not of the expected form"], rows=[2, 1, 1]))
    add("unknown_gender.csv", followup(GOOD[0], "UI0002,Drammen,2019,Arbeid,2019,X,1999"),
        case("followup", 1, ["| 3 | gender |", "not one of the allowed values"], rows=[2, 1, 1]))
    add("short_row.csv", followup(GOOD[0], "UI0002,Drammen"),
        case("followup", 1, ["| 3 | followup_year |", "| 3 | status |", "missing value"], rows=[2, 1, 1]))
    add("bad_row.xlsx", _xlsx([
        ["Deltaker-ID", "Avdeling", "Oppfølgingsår", "Situasjon"],
        ["UI0001", "Drammen", 2019, "Utdanning"],
        [None, None, None, None],
        ["UI0002", "Drammen", 2099, "Arbeid"],
        ["UI0003", "Kongsberg", 2020, "Arbeid"],
    ]), case("followup", 1, ["| 4 | followup_year |", "above the highest allowed value"], rows=[3, 2, 1]))

    # --- awkward but good (exit 0) -----------------------------------------------------
    add("wrong_dimension.xlsx", _wrong_dimension(
        [["participant_id", "department", "followup_year", "status"]]
        + [[f"UI{i:04d}", "Drammen" if i % 2 else "Kongsberg", 2019 + i % 2, "Arbeid"] for i in range(1, 13)], "A1:D3"),
        case("followup", 0, ["12 rows read, 12 accepted, 0 rejected", "states the sheet's size as A1:D3",
                             "every row was read"], rows=[12, 12, 0],
             note="openpyxl's read-only mode stopped at the stated size: 2 rows read, 2 accepted, exit 0"))
    nb_header = "Deltaker-ID;Avdeling;Oppfølgingsår;Situasjon;Sluttår;Kjønn;Fødselsår"
    add("semicolon_decimal_comma_cp1252.csv",
        ("\r\n".join([nb_header, "UI0001;Drammen;2019,0;Videregående skole;2018;K;2000",
                      "UI0002;Kongsberg;2019;Lærling;2019;Mann;1999", "UI0003; Midtfylket ;2020;Førstegangstjeneste;2019;kvinne;2001"])
         + "\r\n").encode("cp1252"),
        case("followup", 0, ["3 rows read, 3 accepted, 0 rejected", "cp1252", "semicolon"], rows=[3, 3, 0]))
    add("bom_good.csv", b"\xef\xbb\xbf" + followup(*GOOD).encode("utf-8"),
        case("followup", 0, ["3 rows read, 3 accepted, 0 rejected", "utf-8-sig"], rows=[3, 3, 0]))
    add("tab_separated_good.tsv", followup(*GOOD).replace(",", "\t"),
        case("followup", 0, ["3 accepted, 0 rejected", "separator tab"], rows=[3, 3, 0]))
    add("trailing_blank_rows_good.csv", followup(*GOOD) + ",,,,,,\n\n   \n,,,,,,\n",
        case("followup", 0, ["3 rows read, 3 accepted, 0 rejected", "4 blank row(s) skipped"], rows=[3, 3, 0]))
    add("formula_department.csv", followup(GOOD[0], 'UI0002,"=HYPERLINK(""http://example.com"",""x"")",2019,Arbeid,2019,M,1999',
                                           "UI0003,<script>alert(1)</script>,2020,Arbeid,2019,K,2001"),
        case("followup", 0, ["3 rows read, 3 accepted, 0 rejected"], rows=[3, 3, 0],
             note="accepted as text; safe_for_csv and html_table neutralise it on the way out"))

    # --- cost ledger -------------------------------------------------------------------
    add("costs_negative_amount.csv", costs(GOOD_COSTS[0], "2019,premises,-250000,2019,county"),
        case("costs", 1, ["| 3 | amount_nok |", "below the lowest allowed value 0"], rows=[2, 1, 1]))
    add("costs_unknown_payer.csv", costs(GOOD_COSTS[0], "2019,premises,250000,2019,NAV"),
        case("costs", 1, ["| 3 | payer |", "NAV", "not one of the allowed values"], rows=[2, 1, 1]))
    add("costs_amount_letters.csv", costs(GOOD_COSTS[0], "2019,premises,250 000 kr,2019,county"),
        case("costs", 1, ["| 3 | amount_nok |", "250 000 kr", "not a number"], rows=[2, 1, 1]))
    add("costs_infinite_amount.csv", costs(GOOD_COSTS[0], "2019,premises,inf,2019,county"),
        case("costs", 1, ["| 3 | amount_nok |", "not a number"], rows=[2, 1, 1]))
    add("costs_duplicate_line.csv", costs(*GOOD_COSTS, GOOD_COSTS[1]),
        case("costs", 1, ["| 5 | year, category, payer |", "duplicate record (also on line 3)"], rows=[4, 2, 2]))
    add("costs_amount_thousands.csv", costs(GOOD_COSTS[0], "2019,premises,1 019 012 480,2019,county"),
        case("costs", 0, ["2 rows read, 2 accepted, 0 rejected"], rows=[2, 2, 0],
             note="10 digits grouped by thousands are a sum, not a number whose leading 0 a spreadsheet lost"))
    add("costs_missing_amount_column.csv", costs("2019,staff,2019,county", header="year,category,price_year,payer"),
        case("costs", 2, ["line 1", "column 'amount_nok'", "required column"]))
    add("costs_norwegian_good.csv",
        ("År;Kategori;Beløp;Prisår;Betaler\r\n2019;lønn;1 200 000,50;2019;Fylkeskommunen\r\n"
         "2019;lokaler;250.000,00;2019;kommune\r\n2020;lønn;1250000;2020;\r\n").encode("cp1252"),
        case("costs", 0, ["3 rows read, 3 accepted, 0 rejected", "cp1252"], rows=[3, 3, 0]))
    return files


def write_corpus(folder: Path = HERE) -> list[Path]:
    """Write every corpus file and ``cases.yml`` into ``folder``."""
    written = []
    manifest = {}
    for name, (data, spec) in sorted(corpus().items()):
        (folder / name).write_bytes(data)
        written.append(folder / name)
        manifest[name] = spec
    head = ("# Corpus of bad inputs: for each file, the input kind, the exact exit code of\n"
            "# `outcomes validate FILE --kind KIND`, words the output must contain, words it must\n"
            "# never contain (identity values) and [read, accepted, rejected] row counts.\n"
            "# Generated by make_corpus.py; edit that script, not this file.\n")
    (folder / "cases.yml").write_text(head + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=True, width=110),
                                      encoding="utf-8")
    written.append(folder / "cases.yml")
    return written


if __name__ == "__main__":
    for path in write_corpus():
        print(f"wrote {path.name}")
