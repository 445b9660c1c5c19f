"""Every kind renders in Dutch and English, as text and HTML from the same words, with the
reference; confidential publications carry a title and a link only."""
import email
import email.policy
from uuid import uuid4

import pytest

from notify.adapters.rendering import Renderer
from notify.adapters.smtp import build_mime
from notify.domain.kinds import KIND_CATEGORY

R = Renderer(portal_base_url="https://portaal.example/")
CONTEXTS = {
    "role_granted": {"role": "beheerder_netwerk", "organisation_name": "Waterbedrijf", "usable_from": "2026-03-01T10:00:00+00:00"},
    "role_activated": {"role": "gebruiker", "organisation_name": ""},
    "role_withdrawn": {"role": "gebruiker", "organisation_name": "Waterbedrijf"},
    "person_removed": {"organisation_name": "Waterbedrijf"},
    "deadline_approaching": {"incident_reference": "INC-1", "stage": "notification", "deadline": "2026-03-01T10:00:00+00:00"},
    "deadline_missed": {"incident_reference": "INC-1", "stage": "final", "deadline": "2026-03-01T10:00:00+00:00"},
    "intermediate_requested": {"incident_reference": "INC-1", "due": None},
    "incident_reported": {"incident_reference": "INC-1", "title": "Ransomware", "statutory": True},
    "stage_submitted": {"incident_reference": "INC-1", "stage": "early_warning", "next_stage": "notification",
                        "next_deadline": "2026-03-03T10:00:00+00:00"},
    "findings_ready": {"feed_name": "scan_log4shell", "findings": 1, "rows": 3},
    "publication_published": {"title": "Lek in X", "publication_kind": "advisory", "tlp": "CLEAR",
                              "tracking_id": "NCSC-2026-0001", "revision": 1, "confidential": False},
    "publication_revised": {"title": "Lek in X", "publication_kind": "advisory", "tlp": "GREEN",
                            "tracking_id": None, "revision": 2, "confidential": False, "changes": ["scores"]},
    "publication_withdrawn": {"title": "Lek in X", "publication_kind": "advisory", "tlp": "CLEAR",
                              "tracking_id": "NCSC-2026-0001", "revision": 1, "confidential": False,
                              "reason": "Verkeerde versies genoemd"},
    "invitation": {"organisation_name": "Waterbedrijf", "roles": ["gebruiker", "beheerder_netwerk"],
                   "expires_at": "2026-03-08T10:00:00+00:00", "invited_by_name": "Anna"},
}


def test_every_kind_has_a_context_here():
    assert set(KIND_CATEGORY) == set(CONTEXTS)


@pytest.mark.parametrize("kind", sorted(CONTEXTS))
@pytest.mark.parametrize("language", ["nl", "en", "nl+en"])
def test_each_kind_renders_text_and_html_with_reference_and_link(kind, language):
    ctx = {**CONTEXTS[kind], "name": "Anna", "path": "/meldingen/1"}
    out = R.render(kind, language, ctx, "WB-1A2B-3C4D-5E6F")
    assert out.subject.endswith("[WB-1A2B-3C4D-5E6F]")
    for part in (out.text, out.html):
        assert "WB-1A2B-3C4D-5E6F" in part
        assert "https://portaal.example/meldingen/1" in part
        assert ("Kenmerk" in part) == (language != "en")
        assert ("Reference" in part) == (language != "nl")
    assert "<p>" in out.html and "<p>" not in out.text


def test_language_follows_the_person():
    ctx = {**CONTEXTS["role_activated"], "name": "Anna", "path": "/"}
    assert "is nu te gebruiken" in R.render("role_activated", "nl", ctx, "WB-X").subject
    assert "can now be used" in R.render("role_activated", "en", ctx, "WB-X").subject
    assert "uw organisatie" in R.render("role_activated", "nl", ctx, "WB-X").text


def test_html_escapes_what_came_from_events():
    ctx = {**CONTEXTS["incident_reported"], "title": "<script>alert(1)</script>", "name": "A", "path": "/"}
    out = R.render("incident_reported", "nl", ctx, "WB-X")
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html


def test_digest_lists_every_item_with_its_reference():
    items = [{"reference": f"WB-000{i}", "path": f"/p/{i}", "subject_nl": f"Onderwerp {i}", "subject_en": f"Subject {i}"}
             for i in range(3)]
    out = R.render("digest", "en", {"name": "Anna", "day": "15-01-2026", "items": items, "path": "/"}, "WB-D")
    assert "3 messages" in out.subject
    for i in range(3):
        assert f"Subject {i} (WB-000{i}): https://portaal.example/p/{i}" in out.text
        assert f"<li>Subject {i} (WB-000{i})" in out.html


def test_mime_is_multipart_alternative_with_stable_message_id():
    out = R.render("role_activated", "nl", {**CONTEXTS["role_activated"], "name": "Ä", "path": "/"}, "WB-X")
    raw = build_mime(out, sender="Weerbaar <noreply@w.example>", recipient="a@example.nl",
                     message_id=f"<{uuid4()}@w.example>", reference="WB-X", language="nl")
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed.get_body(("plain",)).get_content().startswith("Beste Ä")
    assert parsed["X-Weerbaar-Reference"] == "WB-X" and parsed["Auto-Submitted"] == "auto-generated"
    raw.decode("ascii")  # 7-bit safe on the wire


@pytest.mark.parametrize("kind", ["publication_published", "publication_revised", "publication_withdrawn"])
def test_amber_publication_mail_has_title_and_link_only(kind):
    from notify.domain.confidentiality import mail_safe
    from notify.entrypoints.handlers import CONFIDENTIAL_FIELDS

    full = {**CONTEXTS[kind], "tlp": "AMBER", "confidential": True, "tracking_id": "SECRET-ID",
            "changes": ["SECRET change"], "reason": "SECRET reason", "path": "/publicaties/7", "name": "Anna"}
    out = R.render(kind, "nl+en", mail_safe(full, "AMBER", allowed=CONFIDENTIAL_FIELDS | {"name"}), "WB-X")
    assert "SECRET" not in out.subject + out.text + out.html
    assert "Lek in X" in out.text and "https://portaal.example/publicaties/7" in out.text
    assert "TLP:AMBER" in out.subject


def test_invitation_names_organisation_roles_deadline_and_how_to_accept():
    ctx = {**CONTEXTS["invitation"], "path": "/login"}
    out = R.render("invitation", "nl+en", ctx, "WB-X")
    assert "Waterbedrijf" in out.subject
    for words in ("Anna nodigt u namens Waterbedrijf uit", "gebruiker, beheerder netwerkgegevens", "08-03-2026 11:00",
                  "eHerkenning of SSOnRijk", "diezelfde organisatie", "Anna invites you",
                  "user, network data administrator", "eHerkenning or SSOnRijk", "that same organisation",
                  "https://portaal.example/login"):
        assert words in out.text, words
    anonymous = R.render("invitation", "nl", {**ctx, "invited_by_name": "", "roles": ["gebruiker"]}, "WB-X")
    assert "U bent namens Waterbedrijf uitgenodigd" in anonymous.text and "met de rol: gebruiker" in anonymous.text


def test_withdrawal_of_clear_publication_gives_the_reason_and_of_red_only_title_and_link():
    from notify.domain.confidentiality import mail_safe
    from notify.entrypoints.handlers import CONFIDENTIAL_FIELDS

    clear = R.render("publication_withdrawn", "en", {**CONTEXTS["publication_withdrawn"], "name": "A", "path": "/p/1"}, "WB-X")
    assert "Withdrawn" in clear.subject and "Reason: Verkeerde versies genoemd" in clear.text
    red = {**CONTEXTS["publication_withdrawn"], "tlp": "RED", "confidential": True, "reason": "SECRET", "path": "/p/1"}
    out = R.render("publication_withdrawn", "nl", mail_safe(red, "RED", allowed=CONFIDENTIAL_FIELDS), "WB-X")
    assert "SECRET" not in out.text + out.html and "NCSC-2026-0001" not in out.text
    assert "Lek in X" in out.subject and "https://portaal.example/p/1" in out.text


def test_a_role_usable_at_once_says_so_and_a_name_ending_in_a_stop_gets_no_second():
    context = {"role": "beheerder_personen", "organisation_name": "Waterbedrijf Voorbeeld N.V.",
               "usable_from": "2026-03-01T10:00:00+00:00", "name": "Anna"}
    now = R.render("role_granted", "nl", {**context, "usable_now": True}, "REF-1").text
    assert "U kunt deze rol meteen gebruiken." in now and "nog een bericht" not in now
    assert "N.V.." not in now and "Waterbedrijf Voorbeeld N.V. U kunt" in now
    later = R.render("role_granted", "en", {**context, "usable_now": False}, "REF-2").text
    assert "You can use it from 01-03-2026 11:00 CET; we will let you know then." in later
    assert "N.V. You can" in later
