"""The printable summary page, the report's metadata and the county's own result in the demo bundle."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from outcomes.core.config import ReportMetadata, load_config
from outcomes.core.errors import ConfigError
from outcomes.core.formatting import format_nok
from outcomes.render.summary import about_rows, county_card, date_text

pytestmark = pytest.mark.slow

#: A number as the pages write it: sign, digits with thousands separated by (no-break) spaces, decimals.
NUMBER = re.compile(r"[−-]?\d+(?:[ \u00a0]\d{3})*(?:,\d+)?")


def page_text(path: Path) -> str:
    """The visible text of a page's main part, white space made plain."""
    main = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("main")
    assert main is not None
    return " ".join(main.get_text(" ").replace("\u00a0", " ").split())


def plain(text: str) -> str:
    """``text`` with no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def bundle(demo_build: tuple[Path, Path]) -> Path:
    return demo_build[1]


class TestSummaryPage:
    def test_in_every_page_navigation_and_linked_from_the_front_page(self, bundle: Path) -> None:
        for page in bundle.glob("*.html"):
            assert 'href="summary.html"' in page.read_text(encoding="utf-8"), page.name
        front = BeautifulSoup((bundle / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert front.select_one("p.summary-link a[href='summary.html']") is not None

    def test_carries_what_an_official_takes_to_a_meeting(self, bundle: Path) -> None:
        text = page_text(bundle / "summary.html")
        for needle in (
            "Hovedtall",
            "86 %",  # education or work, 2020, with its interval and n
            "95 % KI 80–90 %, n = 187",
            "kroner tilbake per krone for samfunnet",  # the cost-benefit ratio ...
            "Perspektiv: samfunnet som helhet",  # ... and its labels
            "Prisår: alle beløp i 2024-kroner",
            "Største utfordringer i regionen",
            "Kongsvinger",
            "Buskerud fylkeskommune (demo)",
            "kari.nordmann@example.no",
            "15. mars 2021",
            "Tidligere deltakere ringes opp",
            "Om avgrensningen: Demodataene blander to ting med vilje",  # config baseline.scope_note
        ):
            assert needle in text, needle

    def test_every_number_is_published_elsewhere_in_the_bundle(self, bundle: Path) -> None:
        # The summary adds no figure of its own: the disclosure audit of the other pages covers it.
        elsewhere = " ".join(page_text(p) for p in bundle.glob("*.html") if p.name != "summary.html")
        numbers = set(NUMBER.findall(page_text(bundle / "summary.html")))
        assert len(numbers) > 20
        assert sorted(n for n in numbers if n not in elsewhere) == []

    def test_the_survey_range_says_how_many_statements_it_covers(self, bundle: Path) -> None:
        """The range is of the statements whose share is published; the others may lie outside it."""
        survey = pd.read_csv(bundle / "downloads" / "participants_survey.csv")
        latest = survey[(survey["year"] == survey["year"].max()) & (survey["department"] == "all")]
        shown = latest[latest["share"].notna()]
        assert (len(shown), latest["item"].nunique()) == (3, 6)  # three statements hidden in the demo's 2020
        low, high = round(100 * shown["share"].min()), round(100 * shown["share"].max())
        for page in ("summary.html", "index.html"):
            text = page_text(bundle / page)
            assert f"{low}–{high} % var enige i påstandene" in text, page
            assert "blant de 3 av 6 påstandene som kan vises" in text and "(6 påstander)" not in text, page

    def test_challenge_notes_only_for_the_indicators_shown(self, bundle: Path) -> None:
        soup = BeautifulSoup((bundle / "summary.html").read_text(encoding="utf-8"), "html.parser")
        section = soup.find(id="sum-challenges").parent
        shown = {td.get_text() for td in section.find_all("td")}
        for note in section.select(".footnotes p"):
            for quoted in re.findall(r"«([^»]+)»", note.get_text()):
                assert quoted in shown, quoted


class TestFrontPage:
    def test_county_result_beside_the_ratio(self, bundle: Path) -> None:
        payers = pd.read_csv(bundle / "downloads" / "costbenefit_payers.csv").set_index("payer")
        expected = format_nok(payers.loc["county", "npv_nok"], "nb")
        soup = BeautifulSoup((bundle / "index.html").read_text(encoding="utf-8"), "html.parser")
        cards = soup.select(".headline .card")
        values = [plain(c.select_one(".value").get_text()) for c in cards]
        assert plain(expected) in values and expected.startswith("kr\u00a0−")
        # the same figure, formatted the same way, is on the cost-benefit page
        assert expected in (bundle / "cost_benefit.html").read_text(encoding="utf-8")
        ratio = next(i for i, c in enumerate(cards) if "kroner tilbake per krone" in c.get_text())
        assert values.index(plain(expected)) == ratio + 1

    def test_cost_per_participant_from_the_published_tables(self, bundle: Path) -> None:
        costs = pd.read_csv(bundle / "downloads" / "costbenefit_cost_by_year.csv")
        cohorts = pd.read_csv(bundle / "downloads" / "costbenefit_cohorts.csv")
        # every cohort's number is published (and at least the threshold), so the card may be shown
        assert cohorts["participants"].notna().all() and (cohorts["participants"] >= 5).all()
        expected = format_nok(costs["total_nok"].sum() / cohorts["participants"].sum(), "nb")
        n = f"n = {int(cohorts['participants'].sum()):,}".replace(",", " ")
        soup = BeautifulSoup((bundle / "index.html").read_text(encoding="utf-8"), "html.parser")
        card = next(c for c in soup.select(".headline .card") if "kostnad per deltaker" in c.get_text())
        assert plain(card.select_one(".value").get_text()) == plain(expected)
        assert n in plain(card.get_text())

    def test_metadata_and_downloads(self, bundle: Path) -> None:
        text = page_text(bundle / "index.html")
        for needle in ("Om rapporten", "Utgitt av Buskerud fylkeskommune (demo)", "Publisert 15. mars 2021"):
            assert needle in text, needle
        soup = BeautifulSoup((bundle / "index.html").read_text(encoding="utf-8"), "html.parser")
        links = {a["href"] for a in soup.select(".downloads a")}
        files = {f"downloads/{p.name}" for p in (bundle / "downloads").iterdir()}
        assert links == files and "downloads/unginvest-demo-2020.xlsx" in links


class TestMetadata:
    def test_about_rows_in_both_languages(self, project: Path) -> None:
        nb = dict(about_rows(load_config()))
        en = dict(about_rows(load_config(overrides={"language": "en"})))
        assert nb["Publisert"] == "15. mars 2021" and en["Published"] == "15 March 2021"
        assert nb["Slik følges deltakerne opp"].startswith("Tidligere deltakere ringes opp")
        assert en["How participants are followed up"].startswith("Former participants are telephoned")
        assert nb["Oppfølgingsår"] == "2011–2020"

    def test_metadata_is_optional(self, project: Path) -> None:
        cfg = load_config(overrides={"metadata": {}})
        assert [label for label, _ in about_rows(cfg)] == ["Oppfølgingsår"]

    def test_baseline_scope_note_in_the_report_language(self, project: Path) -> None:
        cfg = load_config(overrides={"language": "en"})
        assert cfg.baseline is not None and (cfg.baseline.scope_text("en") or "").startswith("The demo data mix")
        assert (cfg.baseline.scope_text("nb") or "").startswith("Demodataene blander")

    def test_one_text_for_every_language_or_one_each(self) -> None:
        assert ReportMetadata(followup_method="Per telefon").text("followup_method", "en") == "Per telefon"
        only_nb = ReportMetadata(followup_method={"nb": "Per telefon"})
        assert only_nb.text("followup_method", "en") == "Per telefon"

    def test_bad_date_and_unknown_key_are_named(self, project: Path) -> None:
        with pytest.raises(ConfigError, match=r"metadata.published"):
            load_config(overrides={"metadata.published": "15.03.2021"})
        with pytest.raises(ConfigError, match=r"metadata.email: unknown key"):
            load_config(overrides={"metadata.email": "x@example.no"})

    def test_date_text(self) -> None:
        assert date_text(datetime.date(2025, 1, 5), "nb") == "5. januar 2025"
        assert date_text(datetime.date(2025, 12, 31), "en") == "31 December 2025"

    def test_county_card_only_when_published(self) -> None:
        assert county_card({}, "nb") is None
        assert county_card({"payers": [{"payer": "state", "npv_nok": 1e6}]}, "nb") is None
        card = county_card(
            {"payers": [{"payer": "county", "npv_nok": -2.5e6, "pv_benefits_nok": 1e6, "pv_costs_nok": 3.5e6}]},
            "en",
        )
        assert card is not None and plain(card.value) == plain(format_nok(-2.5e6, "en"))
