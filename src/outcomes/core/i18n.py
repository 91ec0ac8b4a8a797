"""Labels in Norwegian bokmål (default) and English, from one catalogue.

All text the reports show comes from ``src/outcomes/locales/<lang>.yml`` and
the per-section files ``src/outcomes/locales/<lang>/<section>.yml`` (merged;
a key defined twice is an error);
code and notebooks refer to keys, never to scattered strings. Both catalogues
must have the same keys (a test checks).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from outcomes.core.yamlsafe import read_yaml

LANGUAGES = ("nb", "en")


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All labels of a language, as ``{dotted.key: text}``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}', expected one of {LANGUAGES}")
    base = resources.files("outcomes").joinpath("locales")
    files = [base.joinpath(f"{lang}.yml")]
    folder = base.joinpath(lang)
    if folder.is_dir():
        files += sorted((f for f in folder.iterdir() if f.name.endswith(".yml")), key=lambda f: f.name)
    labels: dict[str, str] = {}
    for file in files:
        flat = _flatten(read_yaml(file) or {})
        twice = sorted(set(flat) & set(labels))
        if twice:
            raise ValueError(f"label(s) {twice} are defined twice in the '{lang}' catalogue ({file.name})")
        labels.update(flat)
    return labels


class Translator:
    """``t("followup.title", year=2020)`` gives the label in the chosen language."""

    def __init__(self, lang: str = "nb") -> None:
        self.lang = lang
        self._labels = catalogue(lang)

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._labels[key]
        except KeyError:
            raise KeyError(f"label '{key}' is missing from the '{self.lang}' catalogue") from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Whether the catalogue has ``key``."""
        return key in self._labels
