"""Changing an organisation's registered network data: replace, add or remove.

A pure function: it takes the current set and the values of an accepted upload and returns
the new set with the difference, so the caller can store both in one transaction and
announce exactly what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .models import Registration


class ChangeMode(StrEnum):
    REPLACE = "replace"  # the upload is the new complete set
    ADD = "add"  # the upload is added to what is registered
    REMOVE = "remove"  # the upload is taken away from what is registered


@dataclass(frozen=True)
class RegistrationChange:
    new: frozenset[Registration]
    added: frozenset[Registration]
    removed: frozenset[Registration]
    not_found: frozenset[Registration]  # asked to remove, but not registered: told, not an error

    @property
    def is_empty(self) -> bool:
        return not self.added and not self.removed


def change_registrations(
    current: Iterable[Registration], incoming: Iterable[Registration], mode: ChangeMode
) -> RegistrationChange:
    now, given = frozenset(current), frozenset(incoming)
    if mode is ChangeMode.REPLACE:
        new, not_found = given, frozenset()
    elif mode is ChangeMode.ADD:
        new, not_found = now | given, frozenset()
    else:
        new, not_found = now - given, given - now
    return RegistrationChange(new=new, added=new - now, removed=now - new, not_found=not_found)
