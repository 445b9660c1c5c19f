"""Dutch organisation identifiers: KvK number, RSIN and OIN.

- KvK-nummer (Chamber of Commerce number): exactly 8 digits, no check digit.
- RSIN (Rechtspersonen en Samenwerkingsverbanden Informatienummer): 9 digits that pass
  the elfproef (11-check) with the same weights as the BSN: 9..2 and -1 for the last digit.
- OIN (Organisatie-identificatienummer, Logius OIN-stelsel): 20 positions, an 8-digit prefix
  naming the source register, the number from that register, then a zero suffix. Where the
  prefix names the RSIN (00000001) or the KvK number (00000003) we check that number too.

Only surrounding whitespace is forgiven: a number with spaces or dots inside is refused
rather than guessed at, so that what is stored is what the person meant.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from registry.domain.errors import Problem, raise_problem

_OIN_PREFIX_RSIN = "00000001"
_OIN_PREFIX_KVK = "00000003"


def passes_elfproef(digits: str) -> bool:
    """The 11-check of BSN and RSIN: sum of digit * weight (9..2, then -1) divisible by 11."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 == 0


def _is_ascii_digits(value: str, length: int) -> bool:
    # str.isdigit() alone accepts other scripts' digits (e.g. '١'), which no register issues.
    return len(value) == length and value.isascii() and value.isdigit()


def kvk_number_problem(value: str) -> Problem | None:
    if not _is_ascii_digits(value.strip(), 8):
        return Problem(
            "kvk_number_invalid",
            "Een KvK-nummer bestaat uit precies 8 cijfers, zonder spaties of punten.",
            "A KvK (Chamber of Commerce) number is exactly 8 digits, without spaces or dots.",
        )
    return None


def rsin_problem(value: str) -> Problem | None:
    value = value.strip()
    if not _is_ascii_digits(value, 9):
        return Problem(
            "rsin_format",
            "Een RSIN bestaat uit precies 9 cijfers. Begint het met een 0, neem die dan mee.",
            "An RSIN is exactly 9 digits. If it starts with a 0, include that 0.",
        )
    if value == "000000000" or not passes_elfproef(value):
        return Problem(
            "rsin_checksum",
            "Dit RSIN klopt niet (het voldoet niet aan de elfproef). Controleer het nummer op "
            "het uittreksel uit het Handelsregister.",
            "This RSIN is not valid (it fails the 11-check). Check the number on the "
            "extract from the Dutch Business Register.",
        )
    return None


def oin_problem(value: str) -> Problem | None:
    value = value.strip()
    if not _is_ascii_digits(value, 20) or value == "0" * 20:
        return Problem(
            "oin_format",
            "Een OIN bestaat uit precies 20 cijfers (bijvoorbeeld 00000001 gevolgd door het "
            "RSIN en 000).",
            "An OIN is exactly 20 digits (for example 00000001 followed by the RSIN and 000).",
        )
    prefix = value[:8]
    if prefix == _OIN_PREFIX_RSIN and (value[17:] != "000" or not passes_elfproef(value[8:17])):
        return Problem(
            "oin_embedded_rsin_invalid",
            "Dit OIN is afgeleid van een RSIN (prefix 00000001), maar het RSIN erin klopt niet "
            "of het nummer eindigt niet op 000.",
            "This OIN is derived from an RSIN (prefix 00000001), but the RSIN inside it is not "
            "valid or the number does not end in 000.",
        )
    if prefix == _OIN_PREFIX_KVK and value[16:] != "0000":
        return Problem(
            "oin_embedded_kvk_invalid",
            "Dit OIN is afgeleid van een KvK-nummer (prefix 00000003) en moet eindigen op 0000.",
            "This OIN is derived from a KvK number (prefix 00000003) and must end in 0000.",
        )
    return None


def _checked(problem_of):
    def check(value: str) -> str:
        problem = problem_of(value)
        if problem is not None:
            raise_problem(problem)
        return value.strip()

    return check


KvkNumber = Annotated[str, AfterValidator(_checked(kvk_number_problem))]
Rsin = Annotated[str, AfterValidator(_checked(rsin_problem))]
Oin = Annotated[str, AfterValidator(_checked(oin_problem))]
