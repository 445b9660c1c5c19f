"""Dutch first, English beside it: which language a request is answered in."""
from __future__ import annotations

LANGUAGES = ("nl", "en")


def choose(query: str | None, cookie: str | None, preferred: str | None = None) -> str:
    for candidate in (query, cookie, preferred):
        if candidate in LANGUAGES:
            return candidate
    return "nl"


class Texts:
    """`_("Dutch", "English")` in templates and code: the text stays where it is used, with
    both languages side by side, so neither can be forgotten."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, nl: str, en: str) -> str:
        return en if self.lang == "en" else nl

    def pick(self, message: dict, key: str = "message") -> str:
        """From a service's bilingual answer ({message_nl, message_en})."""
        return message.get(f"{key}_{self.lang}") or message.get(f"{key}_nl") or ""
