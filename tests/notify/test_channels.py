"""Notifications reach real loopback servers in each channel's documented format."""

from __future__ import annotations

import base64
import email
import hashlib
import hmac
import json
import urllib.parse
from pathlib import Path

import pytest

from tests.notify.receivers import closed_port, http_receiver, smtp_receiver
from zeropark.notify.channels import (
    ChannelConfig,
    DeliveryError,
    Message,
    dingtalk_sign,
    send,
    webhook_signature,
)

NOW_S = 1_780_000_000
MESSAGE = Message(
    event="raised",
    alert_id=7,
    park_id="p",
    rule_id="peak",
    severity="critical",
    title_zh="告警：peak",
    title_en="Alert: peak",
    body_zh="最近一小时平均 350 kWh/h，高于限值 300",
    body_en="latest hour averages 350 kWh/h, limit above 300",
    at_local="2026-05-28T10:00:00+08:00",
)


def test_webhook_is_json_signed_with_hmac() -> None:
    with http_receiver() as rx:
        send(
            ChannelConfig("hook", "webhook", url=rx.url + "/in", secret="s3cret"),
            MESSAGE,
            now_s=NOW_S,
        )
    (got,) = rx.received
    assert got.path == "/in"
    assert got.headers["X-Zeropark-Timestamp"] == str(NOW_S)
    # The receiver's check: HMAC-SHA256 over "<timestamp>." + body with the shared secret.
    expected = hmac.new(b"s3cret", f"{NOW_S}.".encode() + got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Zeropark-Signature"] == f"sha256={expected}"
    assert webhook_signature("s3cret", NOW_S, got.body) == f"sha256={expected}"
    doc = json.loads(got.body)
    assert doc["event"] == "alert.raised" and doc["alert_id"] == 7
    assert doc["body"]["zh"] == MESSAGE.body_zh and doc["severity"] == "critical"


def test_wecom_robot_gets_a_markdown_message() -> None:
    with http_receiver() as rx:
        url = rx.url + "/cgi-bin/webhook/send?key=abc"
        send(ChannelConfig("wx", "wecom", url=url), MESSAGE, now_s=NOW_S)
    (got,) = rx.received
    assert got.path == "/cgi-bin/webhook/send?key=abc"
    doc = json.loads(got.body)
    # 群机器人配置说明, markdown类型: {"msgtype": "markdown", "markdown": {"content": ...}}
    assert doc["msgtype"] == "markdown" and set(doc) == {"msgtype", "markdown"}
    content = doc["markdown"]["content"]
    assert MESSAGE.body_zh in content and MESSAGE.body_en in content
    assert len(content.encode()) <= 4096


def test_dingtalk_robot_gets_a_signed_markdown_message() -> None:
    secret = "SEC0123456789abcdef"
    with http_receiver() as rx:
        url = rx.url + "/robot/send?access_token=tok"
        send(ChannelConfig("dd", "dingtalk", url=url, secret=secret), MESSAGE, now_s=NOW_S)
    (got,) = rx.received
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(got.path).query)
    ms = NOW_S * 1000
    assert query["access_token"] == ["tok"] and query["timestamp"] == [str(ms)]
    # 加签: base64(HMAC-SHA256(secret, "<ms>\n<secret>")), URL-encoded in the query.
    mac = hmac.new(secret.encode(), f"{ms}\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(mac).decode()]
    assert urllib.parse.unquote_plus(dingtalk_sign(secret, ms)) == base64.b64encode(mac).decode()
    doc = json.loads(got.body)
    assert doc["msgtype"] == "markdown"
    assert (
        doc["markdown"]["title"] == MESSAGE.title_zh and MESSAGE.body_en in doc["markdown"]["text"]
    )


def test_email_goes_over_starttls(tmp_path: Path) -> None:
    pytest.importorskip("aiosmtpd")
    pytest.importorskip("cryptography")
    import ssl

    with smtp_receiver(tmp_path) as rx:
        channel = ChannelConfig(
            "mail",
            "email",
            smtp_host="127.0.0.1",
            smtp_port=rx.port,
            sender="monitor@park.test",
            recipients=("ops@park.test",),
            tls_context=ssl.create_default_context(cafile=str(rx.ca_file)),
        )
        send(channel, MESSAGE, now_s=NOW_S)
    (envelope,) = rx.messages
    assert rx.tls_used == [True]
    assert envelope.rcpt_tos == ["ops@park.test"]
    mail = email.message_from_bytes(envelope.content)
    assert "critical" in str(mail["Subject"])
    text = mail.get_payload(decode=True).decode()
    assert MESSAGE.body_zh in text and MESSAGE.body_en in text


def test_email_refuses_a_server_whose_certificate_it_does_not_trust(tmp_path: Path) -> None:
    with smtp_receiver(tmp_path) as rx:
        channel = ChannelConfig(
            "mail", "email", smtp_host="127.0.0.1", smtp_port=rx.port,
            sender="m@park.test", recipients=("o@park.test",),
        )  # fmt: skip
        with pytest.raises(DeliveryError, match="SMTP"):
            send(channel, MESSAGE, now_s=NOW_S)
    assert rx.messages == []


def test_a_receiver_that_is_down_raises_a_delivery_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}/hook"
    with pytest.raises(DeliveryError, match="connection failed"):
        send(ChannelConfig("down", "webhook", url=url, timeout_s=2), MESSAGE, now_s=NOW_S)
