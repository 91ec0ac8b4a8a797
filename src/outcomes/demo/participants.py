"""Synthetic demo inputs for the participants section, made deterministically.

The profile imitates the published participant table of UngInvest AIB
(domain notes): the counts per difficulty for 2017/18-2019/20 are those of the
table exactly, spread over made-up participants; child welfare and
mental-health services are set to the published shares (20 % and 47 % in
2018/19, 27 % and 60 % in 2019/20; 2017/18 assumed). Substance abuse, gambling
and other difficulties are given counts below the disclosure threshold, so the
report shows them merged or hidden. The survey has the three statements quoted
in the domain notes and three more, 2018-2020, five departments; one small
department in 2020 shows how a small group is hidden. Nobody is real.

Run ``python -m outcomes.demo.participants`` to rewrite the files under
``data/raw/demo/participants/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core import paths
from outcomes.core.atomic import write_text_atomic
from outcomes.core.csvtext import csv_text

SEED = 20240607
SCHOOL_YEARS = ("2017/18", "2018/19", "2019/20")
PARTICIPANTS = {"2017/18": 230, "2018/19": 225, "2019/20": 240}

#: People per category and school year. The six difficulties and the two
#: 2018/19-2019/20 service shares are from the published table; the rest is made up.
PROFILE_COUNTS: dict[str, tuple[int, int, int]] = {
    "adhd": (72, 54, 55),
    "anxiety": (57, 74, 86),
    "psychiatric": (55, 68, 87),
    "autism": (35, 32, 46),
    "learning_specific": (38, 26, 28),
    "learning_general": (23, 20, 8),
    "substance_abuse": (4, 2, 3),
    "gambling": (1, 2, 0),
    "other": (3, 4, 1),
    "child_welfare": (41, 45, 65),  # 18 %, 20 %, 27 %
    "mental_health": (101, 106, 144),  # 44 %, 47 %, 60 %
}

#: Column headers as a programme's spreadsheet might have them (Norwegian).
FLAG_HEADERS = {
    "adhd": "ADHD/ADD",
    "anxiety": "Angst",
    "psychiatric": "Psykiatrisk diagnose",
    "autism": "Autisme/Asperger/Tourette",
    "learning_specific": "Lese-/skrive-/matematikkvansker",
    "learning_general": "Store generelle lærevansker",
    "substance_abuse": "Rus",
    "gambling": "Spillavhengighet",
    "other": "Andre vansker",
    "child_welfare": "Barnevern",
    "mental_health": "Psykisk helsevern",
}

DEPARTMENTS = ("Kongsberg", "Midtfylket", "Ringerike", "Drammen", "Hallingdal")
SURVEY_YEARS = (2018, 2019, 2020)
#: Statements as worded in the questionnaire, with the chance of each answer
#: (disagree, somewhat agree, agree, strongly agree) in the first survey year.
ITEMS: dict[str, tuple[float, float, float, float]] = {
    "Lærerne mine bryr seg om meg": (0.05, 0.15, 0.40, 0.40),
    "Jeg føler meg velkommen og sett": (0.04, 0.12, 0.38, 0.46),
    "Jeg er tryggere på hva jeg vil i livet nå": (0.10, 0.28, 0.37, 0.25),
    "Jeg får hjelp med det jeg synes er vanskelig": (0.07, 0.20, 0.40, 0.33),
    "Jeg gleder meg til å komme hit": (0.12, 0.25, 0.35, 0.28),
    "Jeg vet hva jeg skal gjøre etter programmet": (0.15, 0.30, 0.33, 0.22),
}
ANSWER_LABELS = ("Uenig", "Litt enig", "Enig", "Helt enig")
#: Respondents per department and year; Hallingdal 2020 is small on purpose.
RESPONDENTS = {"Kongsberg": 30, "Midtfylket": 28, "Ringerike": 34, "Drammen": 48, "Hallingdal": 22}
SMALL = ("Hallingdal", 2020, 4)


def demo_profile_flags(seed: int = SEED) -> pd.DataFrame:
    """One row per made-up participant and school year, a 0/1 column per category (exact counts)."""
    rng = np.random.default_rng(seed)
    frames = []
    for i, year in enumerate(SCHOOL_YEARS):
        n = PARTICIPANTS[year]
        frame = pd.DataFrame({"Deltaker-ID": [f"D{rng.integers(16**6):06X}" for _ in range(n)], "Skoleår": year})
        for category, counts in PROFILE_COUNTS.items():
            flags = np.zeros(n, dtype=int)
            flags[rng.choice(n, size=counts[i], replace=False)] = 1
            frame[FLAG_HEADERS[category]] = flags
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    if out.duplicated(["Deltaker-ID", "Skoleår"]).any():
        raise AssertionError("demo participant codes collided; change the seed")
    return out


def demo_profile_counts() -> pd.DataFrame:
    """The same profile as an aggregated table (school year, category, count) with a participants row."""
    rows = []
    for i, year in enumerate(SCHOOL_YEARS):
        rows.append({"skoleår": year, "kategori": "deltakere", "antall": PARTICIPANTS[year]})
        for category, counts in PROFILE_COUNTS.items():
            rows.append({"skoleår": year, "kategori": FLAG_HEADERS[category], "antall": counts[i]})
    return pd.DataFrame(rows)


def demo_survey(seed: int = SEED) -> pd.DataFrame:
    """One row per made-up respondent and item, Norwegian answer labels, some "Vet ikke" and blanks."""
    rng = np.random.default_rng(seed + 1)
    rows = []
    for y, year in enumerate(SURVEY_YEARS):
        for department in DEPARTMENTS:
            count = SMALL[2] if (department, year) == SMALL[:2] else RESPONDENTS[department] + int(rng.integers(-3, 4))
            for r in range(count):
                code = f"R{year % 100}{department[:2].upper()}{r:03d}"
                for item, probs in ITEMS.items():
                    # Agreement rises a little each year; one statement (the last) does not.
                    shift = 0.0 if item.startswith("Jeg vet") else 0.03 * y
                    p = np.array([max(probs[0] - shift, 0.01), probs[1] - shift / 2, probs[2], probs[3] + shift * 1.5])
                    u = rng.random()
                    if u < 0.04:
                        answer = "Vet ikke"
                    elif u < 0.06:
                        answer = ""
                    else:
                        answer = ANSWER_LABELS[int(rng.choice(4, p=p / p.sum()))]
                    rows.append(
                        {"år": year, "avdeling": department, "respondent": code, "spørsmål": item, "svar": answer}
                    )
    return pd.DataFrame(rows)


def write_demo_participants(folder: str | Path | None = None) -> list[Path]:
    """Write ``profile.csv`` (flags), ``profile_counts.csv`` and ``survey.csv``; return the paths."""
    target = Path(folder) if folder else paths.raw_dir() / "demo" / "participants"
    files = {
        "profile.csv": demo_profile_flags(),
        "profile_counts.csv": demo_profile_counts(),
        "survey.csv": demo_survey(),
    }
    written = []
    for name, frame in files.items():
        write_text_atomic(target / name, csv_text(frame))
        written.append(target / name)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write_demo_participants():
        print(path)
