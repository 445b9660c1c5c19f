"""Turns a stored message (kind, language, context) into subject, plain text and HTML.

Each kind has one template (templates/kinds/<kind>.j2) with a subject, a body of plain-text
paragraphs and a link label per language; the two layouts make the text and the HTML part of
the same words, so the two parts cannot drift apart. A group mailbox has no language of its
own: it gets Dutch with English below (`nl+en`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weerbaar_platform.text import sentence

from ..domain.kinds import PUBLICATION_LABELS, ROLE_LABELS, STAGE_LABELS

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _Part:
    language: str
    subject: str
    paragraphs: list[str]
    link: str | None
    link_label: str


class Renderer:
    def __init__(self, *, portal_base_url: str, zone: str = "Europe/Amsterdam"):
        self.portal = portal_base_url.rstrip("/")
        self.zone = ZoneInfo(zone)
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                               autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
        self.env.filters.update(when=self._when, role=_label(ROLE_LABELS), stage=_label(STAGE_LABELS),
                                publication=_label(PUBLICATION_LABELS),
                                organisation=_organisation, sentence=sentence)

    def _when(self, value: str | datetime | None, language: str = "nl") -> str:
        if not value:
            return "-"
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        local = moment.astimezone(self.zone)
        return local.strftime("%d-%m-%Y %H:%M ") + (local.tzname() or "")

    def link(self, path: str | None) -> str | None:
        return f"{self.portal}{path}" if path else None

    def _part(self, kind: str, language: str, context: dict) -> _Part:
        template = self.env.get_template(f"kinds/{kind}.j2")
        values = {**context, "lang": language, "portal": self.portal, "link_of": self.link}
        ctx = template.new_context(values)

        def block(name: str) -> str:
            return "".join(template.blocks[f"{name}_{language}"](ctx)).strip()

        body = block("body")
        paragraphs = [" ".join(p.split()) if not p.lstrip().startswith("- ") else p.strip()
                      for p in body.split("\n\n") if p.strip()]
        return _Part(language, " ".join(block("subject").split()), paragraphs,
                     self.link(context.get("path")), block("link_label"))

    def render(self, kind: str, language: str, context: dict, reference: str) -> Rendered:
        languages = ["nl", "en"] if language == "nl+en" else [language if language in ("nl", "en") else "nl"]
        parts = [self._part(kind, lang, context) for lang in languages]
        values = {"parts": parts, "reference": reference}
        subject = parts[0].subject if len(parts) == 1 else f"{parts[0].subject} | {parts[1].subject}"
        return Rendered(subject=f"{subject} [{reference}]",
                        text=self.env.get_template("layout.txt.j2").render(values),
                        html=self.env.get_template("layout.html.j2").render(values))

    def subject(self, kind: str, language: str, context: dict) -> str:
        return self._part(kind, language, context).subject


def _label(table: dict[str, tuple[str, str]]):
    def label(code: str, language: str = "nl") -> str:
        nl, en = table.get(code, (code, code))
        return en if language == "en" else nl
    return label


def _organisation(name: str | None, language: str = "nl") -> str:
    """The organisation's name, or a way to say it before the register told us the name."""
    return name or ("your organisation" if language == "en" else "uw organisatie")
