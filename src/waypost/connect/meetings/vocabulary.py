"""The words for fellowships, meeting types and languages, in the reader's language.

A type code means what its fellowship says it means: the codes of the Meeting Guide
specification are a shared base, and a fellowship's own meanings (``FELLOWSHIP_TYPES``)
win over it. A code nobody here knows is shown as it is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Peer fellowships for people whose sexual behaviour feels out of control, and for the
# people close to them. Names are the fellowships' own and are not translated.
FELLOWSHIPS: dict[str, str] = {
    "SA": "Sexaholics Anonymous (SA)",
    "SAA": "Sex Addicts Anonymous (SAA)",
    "SLAA": "Sex and Love Addicts Anonymous (SLAA)",
    "SCA": "Sexual Compulsives Anonymous (SCA)",
    "SRA": "Sexual Recovery Anonymous (SRA)",
    "PAA": "Porn Addicts Anonymous (PAA)",
    "S-Anon": "S-Anon (for family and friends)",
    "COSA": "COSA (for family and friends)",
}
OTHER = "other"
FELLOWSHIP_CODES = frozenset(FELLOWSHIPS)


def fellowship_choices() -> list[tuple[str, StrOrPromise]]:
    """For a form: "not stated", each fellowship, "another fellowship"."""
    return [
        ("", _("Not stated")),
        *FELLOWSHIPS.items(),
        (OTHER, _("Another fellowship")),
    ]


def fellowship_label(code: str) -> str:
    if code == OTHER:
        return str(_("Another fellowship"))
    return FELLOWSHIPS.get(code, code)


# The shared codes (Meeting Guide's list, the ones seen in these fellowships' feeds).
TYPES: dict[str, StrOrPromise] = {
    "O": _("Open: anyone may come"),
    "C": _("Closed: for members only"),
    "BE": _("Newcomers"),
    "D": _("Discussion"),
    "SP": _("Speaker"),
    "ST": _("Step study"),
    "TR": _("Traditions study"),
    "LIT": _("Literature"),
    "B": _("Book study"),
    "MED": _("Meditation"),
    "11": _("Eleventh step meditation"),
    "M": _("Men"),
    "W": _("Women"),
    "Y": _("Young people"),
    "SEN": _("Seniors"),
    "LGBTQ": _("LGBTQ+"),
    "G": _("Gay"),
    "L": _("Lesbian"),
    "T": _("Transgender"),
    "NB": _("Non-binary"),
    "POC": _("People of colour"),
    "X": _("Wheelchair access"),
    "XB": _("Wheelchair-accessible toilet"),
    "ASL": _("Sign language"),
    "FF": _("Fragrance free"),
    "BA": _("Childcare available"),
    "CF": _("Children welcome"),
    "DD": _("Dual diagnosis"),
    "A": _("Secular"),
    "P": _("Professionals"),
    "OUT": _("Outdoors"),
    "TC": _("Venue temporarily closed"),
    "ONL": _("Online"),
    "HY": _("Hybrid"),
}
# A fellowship's own meaning of a code, where it differs from the shared one.
FELLOWSHIP_TYPES: dict[str, dict[str, StrOrPromise]] = {
    "S-Anon": {"C": _("Closed: for family and friends only")},
    "COSA": {"C": _("Closed: for family and friends only")},
}

LANGUAGES: dict[str, StrOrPromise] = {
    "en": _("English"),
    "es": _("Spanish"),
    "fr": _("French"),
    "de": _("German"),
    "it": _("Italian"),
    "pt": _("Portuguese"),
    "pl": _("Polish"),
    "ru": _("Russian"),
    "uk": _("Ukrainian"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "zh": _("Chinese"),
    "yue": _("Cantonese"),
    "ms": _("Malay"),
    "ta": _("Tamil"),
    "hi": _("Hindi"),
    "tl": _("Tagalog"),
    "th": _("Thai"),
    "he": _("Hebrew"),
    "fa": _("Persian"),
    "el": _("Greek"),
    "da": _("Danish"),
    "no": _("Norwegian"),
    "sv": _("Swedish"),
    "hu": _("Hungarian"),
    "hr": _("Croatian"),
    "lt": _("Lithuanian"),
    "sk": _("Slovak"),
    "am": _("Amharic"),
    "ml": _("Malayalam"),
    "pa": _("Punjabi"),
}
# Language codes among the types: shown as languages, not as types.
_LANGUAGE_TYPES = frozenset(
    {"EN", "S", "ES", "FR", "DE", "ITA", "IT", "POR", "PT", "POL", "PL", "RUS", "RU", "UK", "JA"}
    | {"KOR", "KO", "ZH", "MS", "TA", "HI", "TL", "TH", "HE", "FA", "EL", "DA", "NO", "SV", "HU"}
    | {"HR", "LT", "SK", "AM", "ML", "PUN"}
)


def type_label(code: str, fellowship: str = "") -> str:
    """What ``code`` means in ``fellowship`` (or in the shared list), else the code itself."""
    own = FELLOWSHIP_TYPES.get(fellowship, {})
    label = own.get(code) or TYPES.get(code)
    return str(label) if label is not None else code


def is_language_type(code: str) -> bool:
    return code.upper() in _LANGUAGE_TYPES


def language_label(code: str) -> str:
    label = LANGUAGES.get(code)
    return str(label) if label is not None else code


WEEKDAYS: tuple[StrOrPromise, ...] = (
    _("Sunday"),
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
)
WEEKDAYS_PLURAL: tuple[StrOrPromise, ...] = (
    _("Sundays"),
    _("Mondays"),
    _("Tuesdays"),
    _("Wednesdays"),
    _("Thursdays"),
    _("Fridays"),
    _("Saturdays"),
)
