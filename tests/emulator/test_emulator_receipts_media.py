"""A message's media (uploaded for a test) and its delivery receipts to SMS participants, with their summary."""

from __future__ import annotations

import base64

from twilio.rest import Client

from pulumi_twilio_conversations.emulator import Emulator

from emulator_support import SMS_PHONE, Api, error, raised, sms_conversation


def test_a_message_reports_the_uploaded_media_it_carries(api: Api, emulator: Emulator, service: str) -> None:
    """A message with an uploaded MediaSid and no body reports the file's SID, size, type and name."""
    upload = {
        "ChatServiceSid": service,
        "Filename": "car.jpg",
        "ContentType": "image/jpeg",
        "Content": base64.b64encode(b"\xff\xd8jpeg").decode(),
    }
    uploaded = api.post("/emulator/media", upload)
    assert uploaded.status_code == 201, uploaded.text
    media = uploaded.json()["sid"]
    conversation = emulator.create_conversation(service)["sid"]
    messages = f"/v1/Services/{service}/Conversations/{conversation}/Messages"
    created = api.post(messages, {"MediaSid": media}).json()
    assert created["body"] is None
    expected = [{"sid": media, "size": 6, "content_type": "image/jpeg", "filename": "car.jpg"}]
    assert created["media"] == expected
    assert api.get(f"{messages}/{created['sid']}").json()["media"] == expected
    assert api.get(messages).json()["messages"][0]["media"] == expected


def test_media_uploads_refuse_what_is_not_a_file(api: Api, emulator: Emulator, service: str) -> None:
    """An upload whose content is not base64, or whose type is no MIME type, is a 400; an unknown service a 404."""
    upload = {"ChatServiceSid": service, "Filename": "a.txt", "ContentType": "text/plain", "Content": "aGk="}
    assert error(api.post("/emulator/media", {**upload, "Content": "not base64!"})) == (400, 20001)
    assert error(api.post("/emulator/media", {**upload, "ContentType": "text"})) == (400, 20001)
    assert error(api.post("/emulator/media", {**upload, "ChatServiceSid": "IS" + "0" * 32})) == (404, 20404)
    sid = emulator.upload_media(service, b"hello", "a.txt", "text/plain")
    assert sid.startswith("ME") and len(sid) == 34


def test_chat_only_messages_have_no_delivery(api: Api, emulator: Emulator, service: str) -> None:
    """A message to a conversation of chat participants only has no delivery summary and no receipts."""
    conversation = emulator.create_conversation(service)["sid"]
    scoped = f"/v1/Services/{service}/Conversations/{conversation}"
    api.post(f"{scoped}/Participants", {"Identity": "agent"}).raise_for_status()
    message = api.post(f"{scoped}/Messages", {"Author": "agent", "Body": "hi"}).json()
    assert message["delivery"] is None
    assert api.get(message["links"]["delivery_receipts"]).json()["delivery_receipts"] == []


def test_each_sms_participant_gets_a_receipt_and_the_summary_follows(
    api: Api, emulator: Emulator, service: str
) -> None:
    """Each SMS participant gets a `sent` receipt; as they are delivered, read or fail, `delivery` says so."""
    scoped = sms_conversation(api, emulator, service, (SMS_PHONE, "+15558675311"))
    message = api.post(f"{scoped}/Messages", {"Author": "agent", "Body": "Your order shipped"}).json()
    summary = {"total": 2, "sent": "all", "delivered": "none", "read": "none", "failed": "none", "undelivered": "none"}
    assert message["delivery"] == summary
    receipts = api.get(message["links"]["delivery_receipts"]).json()["delivery_receipts"]
    assert [r["status"] for r in receipts] == ["sent", "sent"]
    assert all(r["channel_message_sid"].startswith("SM") and r["message_sid"] == message["sid"] for r in receipts)
    first, second = receipts
    emulator.set_receipt_status(first["sid"], "read")
    moved = api.post(f"/emulator/receipts/{second['sid']}", {"Status": "failed", "ErrorCode": "30003"})
    assert moved.json()["error_code"] == 30003
    fetched = api.get(message["url"]).json()["delivery"]
    assert fetched == {**summary, "sent": "some", "delivered": "some", "read": "some", "failed": "some"}
    assert api.get(first["url"]).json()["status"] == "read"
    assert error(api.post(f"/emulator/receipts/{second['sid']}", {"Status": "lost"})) == (400, 20001)


def test_an_inbound_sms_is_not_delivered_back_to_its_sender(api: Api, emulator: Emulator, service: str) -> None:
    """A message authored by the SMS participant has no receipt for that participant."""
    scoped = sms_conversation(api, emulator, service)
    message = api.post(f"{scoped}/Messages", {"Author": SMS_PHONE, "Body": "hello"}).json()
    assert message["participant_sid"] is not None and message["delivery"] is None


def test_receipt_lookups_answer_404_for_what_is_not_there(api: Api, emulator: Emulator, service: str) -> None:
    """An unknown receipt or message is a 404, a malformed receipt SID a 400."""
    scoped = sms_conversation(api, emulator, service)
    message = api.post(f"{scoped}/Messages", {"Body": "hi"}).json()
    receipts = message["links"]["delivery_receipts"]
    assert error(api.get(f"{receipts}/DY{'0' * 32}")) == (404, 20404)
    assert error(api.get(f"{receipts}/nope")) == (400, 20001)
    assert error(api.get(f"{scoped}/Messages/IM{'0' * 32}/Receipts")) == (404, 20404)


def test_a_deleted_message_takes_its_receipts(api: Api, emulator: Emulator, service: str) -> None:
    """Once a message is deleted, its receipts are gone with it."""
    scoped = sms_conversation(api, emulator, service)
    message = api.post(f"{scoped}/Messages", {"Body": "hi"}).json()
    [receipt] = api.get(message["links"]["delivery_receipts"]).json()["delivery_receipts"]
    api.delete(message["url"]).raise_for_status()
    assert error(api.get(receipt["url"])) == (404, 20404)


def test_sdk_reads_media_delivery_and_receipts(client: Client, api: Api, emulator: Emulator, service: str) -> None:
    """Twilio's SDK sends a media message and reads its delivery summary and receipts."""
    conversation = sms_conversation(api, emulator, service).rsplit("/", 1)[1]
    media = emulator.upload_media(service, b"GIF89a", "dot.gif", "image/gif")
    messages = client.conversations.v1.services(service).conversations(conversation).messages
    sent = messages.create(media_sid=media, author="agent")
    assert sent.media == [{"sid": media, "size": 6, "content_type": "image/gif", "filename": "dot.gif"}]
    assert sent.delivery["total"] == 1 and sent.body is None
    [receipt] = messages(sent.sid).delivery_receipts.list()
    emulator.set_receipt_status(receipt.sid, "delivered")
    assert messages(sent.sid).delivery_receipts(receipt.sid).fetch().status == "delivered"
    assert raised(lambda: messages(sent.sid).delivery_receipts("DY" + "0" * 32).fetch()).status == 404


def test_a_malformed_message_sid_is_named_in_the_refusal(api: Api, emulator: Emulator, service: str) -> None:
    """A receipts path with a malformed message SID is a 400 that names MessageSid."""
    scoped = sms_conversation(api, emulator, service)
    refused = api.get(f"{scoped}/Messages/nope/Receipts")
    assert error(refused) == (400, 20001) and "MessageSid" in refused.json()["message"]
