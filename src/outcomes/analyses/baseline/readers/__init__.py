"""Read the files analysts download from SSB and FHI into one tidy table.

One module per source format, all ending in the common tidy table:

* :mod:`.jsonstat`: JSON-stat 1.0/2.0 from SSB (PxWebApi v1 and 2) and FHI;
* :mod:`.ssb_csv`: SSB statbank/PxWebApi CSV exports, long or wide;
* :mod:`.tidy_csv`: a tidy CSV typed in by hand or from other sources;
* :mod:`.cells`: the cells of one downloaded table (what the first two return);
* :mod:`.extract`: one catalogue indicator out of those cells;
* :mod:`.tidy`: the tidy table (:data:`TIDY_COLUMNS`), period labels and status markers;
* :mod:`.validity`: cells of codes that did not exist in their period (dense cubes);
* :mod:`.notes`: the publisher's footnotes and FHI's flag list;
* :mod:`.files`: which reader a file needs, a folder of downloads, harmonised codes.

Status markers (``.``, ``..``, ``:``) are never lost: the value is NaN and the
marker is kept in ``status``. A null without a marker is missing (``..``)
unless its municipality code did not exist in that period (:mod:`.validity`).
"""

from outcomes.analyses.baseline.readers.cells import Cells
from outcomes.analyses.baseline.readers.extract import extract_indicator
from outcomes.analyses.baseline.readers.files import (
    IndicatorData,
    indicator_files,
    load_indicator_data,
    load_indicators,
    read_cells,
    read_indicator_data,
    read_indicator_file,
    read_indicator_files,
)
from outcomes.analyses.baseline.readers.jsonstat import read_jsonstat
from outcomes.analyses.baseline.readers.notes import SourceNote, read_flag_list
from outcomes.analyses.baseline.readers.ssb_csv import read_ssb_csv
from outcomes.analyses.baseline.readers.tidy import FIGURE_COLUMNS, STATUS_MARKERS, TIDY_COLUMNS, parse_period
from outcomes.analyses.baseline.readers.tidy_csv import read_tidy_csv
from outcomes.analyses.baseline.readers.validity import drop_codes_that_did_not_exist

__all__ = [
    "FIGURE_COLUMNS",
    "STATUS_MARKERS",
    "TIDY_COLUMNS",
    "Cells",
    "IndicatorData",
    "SourceNote",
    "drop_codes_that_did_not_exist",
    "extract_indicator",
    "indicator_files",
    "load_indicator_data",
    "load_indicators",
    "parse_period",
    "read_cells",
    "read_flag_list",
    "read_indicator_data",
    "read_indicator_file",
    "read_indicator_files",
    "read_jsonstat",
    "read_ssb_csv",
    "read_tidy_csv",
]
