"""What a mail may carry. E-mail leaves the platform and ends up in mailboxes we do not
control, so TLP:AMBER, AMBER+STRICT and RED content never goes in a mail: only the title and a
link into the portal, where the person logs in to read it."""
from __future__ import annotations

CONFIDENTIAL_TLP = frozenset({"AMBER", "AMBER+STRICT", "RED"})


def body_may_carry_content(tlp: str | None) -> bool:
    return (tlp or "RED").upper().removeprefix("TLP:") not in CONFIDENTIAL_TLP


def mail_safe(context: dict, tlp: str | None, *, allowed: frozenset[str]) -> dict:
    """Drop everything but the allowed keys (title, link, labels) from a confidential item's
    context, so no template can leak a field by accident."""
    if body_may_carry_content(tlp):
        return dict(context)
    return {k: v for k, v in context.items() if k in allowed}
