from email.message import EmailMessage

import aiosmtplib
import httpx
import pytest

from weerbaar_devstack.mailbox import CatchingHandler, FaultPlans, MessageStore, create_app, start_smtp_server


@pytest.fixture
async def mailbox(tmp_path):
    """A running catcher: SMTP on a free loopback port, HTTP over the ASGI transport."""
    store, faults = MessageStore(tmp_path / "mail.sqlite3"), FaultPlans()
    server = await start_smtp_server(CatchingHandler(store, faults), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport = httpx.ASGITransport(app=create_app(store, faults))
    async with httpx.AsyncClient(transport=transport, base_url="http://mailbox.test") as api:
        yield port, api
    server.close()
    await server.wait_closed()


def notification(to="beheer@drinkwater.example.nl", subject="Nieuw advies / New advisory"):
    message = EmailMessage()
    message["From"] = "Weerbaar <noreply@weerbaar.example.nl>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content("Er is een nieuw beveiligingsadvies.")
    message.add_alternative("<p>Er is een <b>nieuw</b> beveiligingsadvies.</p>", subtype="html")
    return message


async def send(port, message, **kwargs):
    return await aiosmtplib.send(message, hostname="127.0.0.1", port=port, timeout=10, **kwargs)


async def test_multipart_message_is_kept_and_read_back_with_text_and_html(mailbox):
    port, api = mailbox
    await send(port, notification())
    [summary] = (await api.get("/api/messages")).json()
    assert summary["to"] == ["beheer@drinkwater.example.nl"] and summary["subject"] == "Nieuw advies / New advisory"
    detail = (await api.get(f"/api/messages/{summary['id']}")).json()
    assert detail["text"].strip() == "Er is een nieuw beveiligingsadvies."
    assert "<b>nieuw</b>" in detail["html"]
    assert detail["headers"]["From"] == "Weerbaar <noreply@weerbaar.example.nl>"
    raw = (await api.get(f"/api/messages/{summary['id']}/raw")).content
    assert b"Subject: Nieuw advies / New advisory" in raw


async def test_list_is_newest_first_and_filters_by_recipient_and_subject(mailbox):
    port, api = mailbox
    await send(port, notification(to="a@x.example", subject="Eerste"))
    await send(port, notification(to="b@y.example", subject="Tweede"))
    assert [m["subject"] for m in (await api.get("/api/messages")).json()] == ["Tweede", "Eerste"]
    assert [m["subject"] for m in (await api.get("/api/messages", params={"to": "@X.example"})).json()] == ["Eerste"]
    assert [m["to"] for m in (await api.get("/api/messages", params={"subject": "twee"})).json()] == [["b@y.example"]]


async def test_bcc_recipient_is_found_through_the_envelope(mailbox):
    port, api = mailbox
    await send(port, notification(to="zichtbaar@x.example"), recipients=["groep@x.example"])
    assert len((await api.get("/api/messages", params={"to": "groep@x.example"})).json()) == 1


async def test_clear_removes_all_messages_and_unknown_message_is_404(mailbox):
    port, api = mailbox
    await send(port, notification())
    assert (await api.delete("/api/messages")).status_code == 204
    assert (await api.get("/api/messages")).json() == []
    missing = await api.get("/api/messages/999")
    assert missing.status_code == 404 and missing.json()["detail"]["message_en"] == "Message not found."


async def test_messages_survive_a_restart_of_the_catcher(tmp_path):
    first = MessageStore(tmp_path / "mail.sqlite3")
    first.add("a@x.example", ["b@y.example"], notification().as_bytes(), 1.0)
    assert [m["subject"] for m in MessageStore(tmp_path / "mail.sqlite3").summaries()] == ["Nieuw advies / New advisory"]


async def test_fault_plan_gives_temporary_failure_then_accepts(mailbox):
    port, api = mailbox
    plan = {"rcpt": "beheer@drinkwater.example.nl", "replies": ["451 4.3.0 try later", "250"]}
    assert (await api.post("/api/faults", json=plan)).status_code == 201
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        await send(port, notification())
    assert refused.value.recipients[0].code == 451
    await send(port, notification())
    assert len((await api.get("/api/messages")).json()) == 1
    assert (await api.get("/api/faults")).json() == []


async def test_fault_plan_with_5xx_refuses_permanently_and_keeps_nothing(mailbox):
    port, api = mailbox
    await api.post("/api/faults", json={"rcpt": "weg@x.example", "replies": ["550 5.1.1 no such user"],
                                        "repeat_last": True})
    for _ in range(2):
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
            await send(port, notification(to="weg@x.example"))
        assert refused.value.recipients[0].code == 550
    assert (await api.get("/api/messages")).json() == []


async def test_fault_plan_at_data_stage_refuses_the_message(mailbox):
    port, api = mailbox
    await api.post("/api/faults", json={"rcpt": "a@x.example", "stage": "data", "replies": ["452 4.3.1 full"]})
    with pytest.raises(aiosmtplib.SMTPDataError) as refused:
        await send(port, notification(to="a@x.example"))
    assert refused.value.code == 452 and (await api.get("/api/messages")).json() == []


async def test_cleared_fault_plans_no_longer_apply(mailbox):
    port, api = mailbox
    await api.post("/api/faults", json={"rcpt": "a@x.example", "replies": ["550 5.1.1 no such user"]})
    assert (await api.delete("/api/faults")).status_code == 204
    await send(port, notification(to="a@x.example"))
    assert len((await api.get("/api/messages")).json()) == 1


async def test_fault_plan_with_a_reply_that_is_not_smtp_is_refused(mailbox):
    _, api = mailbox
    response = await api.post("/api/faults", json={"rcpt": "a@x.example", "replies": ["try later"]})
    assert response.status_code == 422


async def test_index_page_lists_messages(mailbox):
    port, api = mailbox
    await send(port, notification(subject="Zichtbaar <onderwerp>"))
    page = (await api.get("/")).text
    assert "Zichtbaar &lt;onderwerp&gt;" in page and "Received messages (1)" in page


def test_a_header_folded_right_after_its_colon_reads_without_a_leading_space(tmp_path):
    import email.policy
    from email.message import EmailMessage

    from weerbaar_devstack.mailbox.store import MessageStore

    msg = EmailMessage()
    msg["From"], msg["To"] = "portaal@weerbaar.example", "anna@example.nl"
    msg["Subject"] = "Uw rol beheerder netwerkgegevens is nu te gebruiken [WB-ABCD-EFGH-IJKL]"
    msg.set_content("x")
    raw = msg.as_bytes(policy=email.policy.SMTP)
    assert b"Subject:\r\n " in raw  # the fold this test is about
    store = MessageStore(tmp_path / "m.sqlite3")
    store.add(envelope_from="portaal@weerbaar.example", envelope_to=["anna@example.nl"], raw=raw, received_at=0.0)
    assert store.summaries()[0]["subject"] == "Uw rol beheerder netwerkgegevens is nu te gebruiken [WB-ABCD-EFGH-IJKL]"
