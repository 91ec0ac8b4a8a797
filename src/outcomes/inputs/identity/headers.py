"""Column headers that say a column identifies people: names, addresses, phones, e-mail, identity numbers."""

from __future__ import annotations

import re

from outcomes.inputs.identity.national_id import normalise_text

#: Header words (normalised, Norwegian and English) that signal direct identifiers.
IDENTIFYING_HEADERS: tuple[str, ...] = (
    "navn",
    "fornavn",
    "etternavn",
    "mellomnavn",
    "fullt navn",
    "name",
    "first name",
    "last name",
    "surname",
    "given name",
    "full name",
    "adresse",
    "postadresse",
    "gateadresse",
    "bostedsadresse",
    "address",
    "street",
    "telefon",
    "telefonnummer",
    "tlf",
    "mobil",
    "mobilnummer",
    "phone",
    "phone number",
    "mobile",
    "telephone",
    "e post",
    "epost",
    "e postadresse",
    "email",
    "e mail",
    "mail",
    "fødselsnummer",
    "fodselsnummer",
    "fnr",
    "personnummer",
    "d nummer",
    "dnummer",
    "f nr",
    "p nr",
    "tlf nr",
    "national id",
    "social security number",
    "ssn",
    "personal identity number",
)


#: Header words that show a "name" column names a thing, not a person.
_NOT_PERSONAL = frozenset(
    {
        "department",
        "avdeling",
        "enhet",
        "kommune",
        "municipality",
        "fylke",
        "county",
        "programme",
        "program",
        "item",
        "indicator",
        "category",
        "kategori",
        "school",
        "skole",
        "status",
        "file",
        "fil",
    }
)


#: Words that make a header identifying wherever they stand in it (unless it names a thing, :data:`_NOT_PERSONAL`):
#: names, addresses, phones, e-mail, identity numbers, and the people a young person's record would name.
_IDENTIFYING_WORDS = frozenset(
    {
        "navn",
        "fornavn",
        "etternavn",
        "mellomnavn",
        "kallenavn",
        "brukernavn",
        "name",
        "surname",
        "adresse",
        "postadresse",
        "gateadresse",
        "bostedsadresse",
        "address",
        "telefon",
        "telefonnummer",
        "telefonnr",
        "tlf",
        "tlfnr",
        "mobil",
        "mobilnummer",
        "mobilnr",
        "phone",
        "epost",
        "epostadresse",
        "email",
        "fnr",
        "pnr",
        "fødselsnummer",
        "fodselsnummer",
        "fødselsnr",
        "fodselsnr",
        "personnummer",
        "personnr",
        "dnummer",
        "ssn",
        "kontaktperson",
        "foresatt",
        "foresatte",
    }
)


def _header_words(header: str) -> str:
    """The header's words: lower case, anything but letters (punctuation, digits) taken for a space."""
    return " ".join(re.sub(r"[\W\d_]+", " ", normalise_text(str(header))).casefold().split())


def identifying_header(header: str) -> bool:
    """Whether a column header says the column holds names, addresses, phones, e-mail or IDs."""
    words = _header_words(header)
    if words in IDENTIFYING_HEADERS:
        return True
    tokens = set(words.split())
    if tokens & _NOT_PERSONAL:
        return False  # "department name", "kommunenavn", "item name" name things, not people
    return bool(tokens & _IDENTIFYING_WORDS)
