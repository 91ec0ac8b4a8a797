"""Synthetic demo inputs, made deterministically from a fixed seed.

The demo follow-up records imitate a programme like UngInvest AIB (five
departments, 150-250 former participants followed up a year, 2011-2020).
Status probabilities are set from the published rates in the domain notes
(education or work, education, positive activity), so the demo's rates come
out close to, but not equal to, the published table. Nobody in the file is
real: identifiers are random codes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core import paths
from outcomes.core.atomic import write_text_atomic
from outcomes.core.csvtext import csv_text

SEED = 20240605  # chosen so every demo rate lies within 4 points of the published one
DEPARTMENTS = ("Kongsberg", "Midtfylket", "Ringerike", "Drammen", "Hallingdal")
_DEPARTMENT_WEIGHTS = (0.18, 0.17, 0.20, 0.30, 0.15)

#: Published rates (percent of those followed up), UngInvest AIB; 2011 and 2012
#: are not published and are interpolated between 2010 and 2013.
PUBLISHED_RATES = pd.DataFrame(
    {
        "year": [2010, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020],
        "education_or_work": [75, 79, 85, 78, 87, 83, 82, 85, 87],
        "education": [69, 70, 78, 71, 73, 73, 69, 66, 77],
        "positive_activity": [90, 91, 95, 93, 91, 90, 91, 95, 97],
    }
)

# The programme's own labels, as an export from its register might have them.
_LABELS = {
    "education": ["Utdanning", "Videregående skole", "Student"],
    "apprenticeship": ["Lærling", "Lærekandidat"],
    "education_and_work": ["Utdanning og arbeid"],
    "work": ["Arbeid", "I jobb"],
    "measure": ["Tiltak", "Arbeidstrening"],
    "other_positive": ["Folkehøgskole", "Førstegangstjeneste", "Foreldrepermisjon"],
    "neet": ["Utenfor", "Hjemme"],
    "no_response": ["Ikke nådd"],
}


def target_rates(years: range) -> pd.DataFrame:
    """Published rates as shares (0-1) for ``years``, interpolated where not published."""
    table = PUBLISHED_RATES.set_index("year").reindex(range(2010, max(years) + 1)).interpolate()
    return (table.loc[list(years)] / 100).rename_axis("year")


def _status_probabilities(rates: pd.Series) -> dict[str, float]:
    edu, eow, pos = rates["education"], rates["education_or_work"], rates["positive_activity"]
    return {
        "education": edu * 0.72,
        "apprenticeship": edu * 0.16,
        "education_and_work": edu * 0.12,
        "work": eow - edu,
        "measure": (pos - eow) * 0.6,
        "other_positive": (pos - eow) * 0.4,
        "neet": 1 - pos,
    }


def demo_followup(first_year: int = 2011, last_year: int = 2020, seed: int = SEED) -> pd.DataFrame:
    """Synthetic individual follow-up records.

    Parameters
    ----------
    first_year, last_year
        Follow-up years to generate (inclusive).
    seed
        Seed of the random generator; the same seed gives the same records.

    Returns
    -------
    pandas.DataFrame
        Columns ``participant_id``, ``department``, ``followup_year``,
        ``status`` (programme labels), ``exit_year``, ``gender``, ``birth_year``.
    """
    rng = np.random.default_rng(seed)
    years = range(first_year, last_year + 1)
    targets = target_rates(years)
    frames = []
    used: set[str] = set()
    for year in years:
        n = int(rng.integers(150, 251))
        probs = _status_probabilities(targets.loc[year])  # type: ignore[arg-type]  # a row label gives a Series
        statuses = rng.choice(list(probs), size=n, p=np.array(list(probs.values())) / sum(probs.values()))
        # About 8-15% are contacted but not reached.
        nonresponse = rng.random(n) < rng.uniform(0.08, 0.15)
        statuses = np.where(nonresponse, "no_response", statuses)
        labels = [_LABELS[s][int(rng.integers(len(_LABELS[s])))] for s in statuses]
        ids: list[str] = []
        while len(ids) < n:
            code = f"UI{rng.integers(0, 16**6):06X}"
            if code not in used:
                used.add(code)
                ids.append(code)
        age = rng.integers(17, 25, size=n)
        frames.append(
            pd.DataFrame(
                {
                    "participant_id": ids,
                    "department": rng.choice(DEPARTMENTS, size=n, p=_DEPARTMENT_WEIGHTS),
                    "followup_year": year,
                    "status": labels,
                    "exit_year": year - rng.integers(0, 2, size=n),
                    "gender": rng.choice(["K", "M"], size=n, p=[0.45, 0.55]),
                    "birth_year": year - age,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def write_demo_data(root: Path | None = None) -> list[Path]:
    """Write the demo inputs under ``data/raw/demo/`` and return their paths.

    This is the one place where code writes under ``data/raw``: the demo files
    are generated once, committed, and only rewritten on request
    (``outcomes demo-data``).
    """
    target = paths.raw_dir(root) / "demo" / "followup.csv"
    write_text_atomic(target, csv_text(demo_followup()))
    return [target]
