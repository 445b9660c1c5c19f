"""CSAF document versions: integer versioning ("3") or semantic versioning ("1.2.0-rc.1+b7").

CSAF 2.0 section 3.1.11 allows both; a document uses one of them throughout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEMVER = re.compile(
    r"^(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?"
    r"(?:\+(?P<build>[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?$"
)
_INTEGER = re.compile(r"^(0|[1-9]\d*)$")


@dataclass(frozen=True)
class Version:
    text: str
    major: int
    minor: int = 0
    patch: int = 0
    pre_release: str | None = None
    build: str | None = None
    semantic: bool = False

    @property
    def is_pre_release(self) -> bool:
        return self.pre_release is not None

    @property
    def is_zero(self) -> bool:
        """Version 0 or 0.y.z: the document was never released (CSAF "draft" territory)."""
        return self.major == 0

    def without_build(self) -> tuple:
        return (self.major, self.minor, self.patch, self.pre_release)

    def without_pre_release(self) -> tuple:
        return (self.major, self.minor, self.patch)

    def sort_key(self) -> tuple:
        """Precedence as in SemVer 2.0.0 section 11; build metadata does not count."""
        if self.pre_release is None:
            pre: tuple = (1,)
        else:
            pre = (0, *(
                (0, int(part), "") if part.isdigit() else (1, 0, part)
                for part in self.pre_release.split(".")
            ))
        return (self.major, self.minor, self.patch, pre)


def parse_version(text: str) -> Version | None:
    """The version, or None when `text` is neither an integer nor a semantic version."""
    if _INTEGER.match(text):
        return Version(text=text, major=int(text))
    match = _SEMVER.match(text)
    if match is None:
        return None
    return Version(
        text=text,
        major=int(match["major"]),
        minor=int(match["minor"]),
        patch=int(match["patch"]),
        pre_release=match["pre"],
        build=match["build"],
        semantic=True,
    )
