"""The publishing workflow of an advisory, analysis or news item ("publicatie").

    draft --submit--> review --approve--> published --withdraw--> withdrawn
      ^                 |                     |
      +----reject-------+                     +--revise--> a new draft of the next revision

Four-eyes ("vier-ogenprincipe"): nobody who wrote a revision, or put it up for review, may
approve it. The second matters for drafts nobody typed (advisories pulled from a CSAF
provider): the editor who submits one vouches for it, so another editor must approve it. Only editors
(CSIRT staff with the editor role, "redacteur") may act at all. Every function is pure: it
returns a new Publication or raises DomainError, and the caller stores the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from .errors import DomainError
from .tlp import Tlp
from .visibility import Audience, PublicationState, reaches_anyone


@dataclass(frozen=True)
class Editor:
    person_id: str
    is_editor: bool  # holds the editor role


@dataclass(frozen=True)
class Withdrawal:
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Publication:
    publication_id: str
    title: str
    body_markdown: str
    tlp: Tlp
    audience: Audience
    authors: frozenset[str]  # everyone who wrote this revision
    state: PublicationState = PublicationState.DRAFT
    revision: int = 1
    approved_by: str | None = None
    published_at: datetime | None = None
    withdrawal: Withdrawal | None = None
    review_notes: tuple[str, ...] = field(default=())


def _require_editor(actor: Editor) -> None:
    if not actor.is_editor:
        raise DomainError(
            code="publishing.not_editor",
            message_nl="Alleen redacteuren kunnen publicaties bewerken, beoordelen of publiceren.",
            message_en="Only editors can edit, review or publish publications.")


def _require_state(publication: Publication, *allowed: PublicationState) -> None:
    if publication.state not in allowed:
        wanted = " / ".join(s.value for s in allowed)
        raise DomainError(
            code="publishing.wrong_state", field="state",
            message_nl=f"Dit kan alleen bij status {wanted}; de publicatie heeft status {publication.state.value}.",
            message_en=f"This is only possible in state {wanted}; the publication is {publication.state.value}.")


def new_draft(publication_id: str, title: str, body_markdown: str, tlp: Tlp, audience: Audience,
              actor: Editor) -> Publication:
    _require_editor(actor)
    return Publication(publication_id=publication_id, title=title, body_markdown=body_markdown, tlp=tlp,
                       audience=audience, authors=frozenset({actor.person_id}))


def edit(publication: Publication, actor: Editor, *, title: str | None = None, body_markdown: str | None = None,
         tlp: Tlp | None = None, audience: Audience | None = None) -> Publication:
    """Change a draft. Whoever edits becomes one of its authors, and so cannot approve it."""
    _require_editor(actor)
    _require_state(publication, PublicationState.DRAFT)
    return replace(
        publication,
        title=publication.title if title is None else title,
        body_markdown=publication.body_markdown if body_markdown is None else body_markdown,
        tlp=publication.tlp if tlp is None else tlp,
        audience=publication.audience if audience is None else audience,
        authors=publication.authors | {actor.person_id},
    )


def submit_for_review(publication: Publication, actor: Editor) -> Publication:
    _require_editor(actor)
    _require_state(publication, PublicationState.DRAFT)
    if not reaches_anyone(publication.tlp, publication.audience):
        raise DomainError(
            code="publishing.audience_reaches_no_one", field="audience",
            message_nl="Met dit TLP-label en deze doelgroep ziet niemand de publicatie. Kies een doelgroep "
                       "(bij TLP:AMBER+STRICT genoemde organisaties, bij TLP:RED genoemde personen).",
            message_en="With this TLP label and audience nobody would see the publication. Choose an audience "
                       "(named organisations for TLP:AMBER+STRICT, named people for TLP:RED).")
    return replace(publication, state=PublicationState.REVIEW, authors=publication.authors | {actor.person_id})


def reject(publication: Publication, actor: Editor, note: str) -> Publication:
    """Send a publication under review back to draft, saying why."""
    _require_editor(actor)
    _require_state(publication, PublicationState.REVIEW)
    return replace(publication, state=PublicationState.DRAFT, review_notes=(*publication.review_notes, note))


def approve(publication: Publication, actor: Editor, at: datetime) -> Publication:
    """Publish a reviewed publication. The approver must not be one of its authors (which
    includes whoever submitted it for review)."""
    _require_editor(actor)
    _require_state(publication, PublicationState.REVIEW)
    if actor.person_id in publication.authors:
        raise DomainError(
            code="publishing.four_eyes", field="approved_by",
            message_nl="U heeft aan deze publicatie meegeschreven of haar ter beoordeling aangeboden, en "
                       "mag haar daarom niet goedkeuren (vier-ogenprincipe). Vraag een andere redacteur.",
            message_en="You wrote part of this publication or submitted it for review, so you may not "
                       "approve it (four-eyes principle). Ask another editor.")
    return replace(publication, state=PublicationState.PUBLISHED, approved_by=actor.person_id, published_at=at)


def withdraw(publication: Publication, actor: Editor, reason: str, at: datetime) -> Publication:
    """Take a published publication back; the reason is kept and shown to its readers."""
    _require_editor(actor)
    _require_state(publication, PublicationState.PUBLISHED)
    if not reason.strip():
        raise DomainError(
            code="publishing.withdrawal_reason_missing", field="reason",
            message_nl="Geef een reden voor het intrekken; lezers krijgen die te zien.",
            message_en="Give a reason for the withdrawal; readers will see it.")
    return replace(publication, state=PublicationState.WITHDRAWN,
                   withdrawal=Withdrawal(reason=reason.strip(), by=actor.person_id, at=at))


def revise(publication: Publication, actor: Editor) -> Publication:
    """Start the next revision of a published publication as a new draft.

    The published revision stays visible until the new one is approved; the new draft has
    its own authors (starting with the reviser) and needs its own second pair of eyes.
    """
    _require_editor(actor)
    _require_state(publication, PublicationState.PUBLISHED)
    return replace(publication, state=PublicationState.DRAFT, revision=publication.revision + 1,
                   authors=frozenset({actor.person_id}), approved_by=None, published_at=None, review_notes=())
