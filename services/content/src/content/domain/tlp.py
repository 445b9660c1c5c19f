"""Traffic Light Protocol 2.0 labels (FIRST, 2022)."""

from __future__ import annotations

from enum import Enum


class Tlp(str, Enum):
    CLEAR = "CLEAR"  # no limit on disclosure
    GREEN = "GREEN"  # the community, not published
    AMBER = "AMBER"  # the recipient's organisation and its clients, need to know
    AMBER_STRICT = "AMBER+STRICT"  # the recipient's organisation only
    RED = "RED"  # the named recipients only

    @classmethod
    def from_label(cls, label: str) -> "Tlp":
        """Read a TLP 1.0 or 2.0 label. TLP 1.0 "WHITE" (what CSAF 2.0 still uses) is 2.0 "CLEAR"."""
        text = label.strip().upper().removeprefix("TLP:")
        if text == "WHITE":
            return cls.CLEAR
        return cls(text)
