"""The public report form (no login): what anyone may send, with bounds that keep abuse small.

The law wants reporting to stay possible for everyone, also without an account; so the form
takes little, bounds every field, and never echoes the input back as markup.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from incidents.domain.reporting import Email
from incidents.domain.text import visible_text


def _clean(text: str) -> str:
    # Control characters have no place in a report and are a favourite of log injection.
    cleaned = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()
    if not cleaned:
        raise ValueError("must not be empty")
    return cleaned


ShortText = Annotated[str, Field(max_length=200), AfterValidator(_clean)]
LongText = Annotated[str, Field(max_length=10_000), AfterValidator(_clean)]


class PublicContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    email: Annotated[Email, Field(max_length=254)]
    phone: ShortText | None = None


class PublicReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact: PublicContact
    organisation_name: ShortText | None = None
    title: Annotated[ShortText, AfterValidator(visible_text)]
    description: LongText
    became_aware_at: Annotated[str, Field(max_length=40)] | None = None
