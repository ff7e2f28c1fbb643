"""Notification channels: one message, rendered and sent in each channel's documented format.

A :class:`Message` is what the monitor tells (an alert raised, an alert recovered); a channel
config (:class:`ChannelConfig`) says where and how. :func:`send` sends one message over one
channel and raises :class:`DeliveryError` on any failure (connection refused, timeout, an HTTP
status other than 2xx, a robot's ``errcode`` other than 0, an SMTP error); the caller records the
attempt and retries with backoff (:mod:`zeropark.service.monitor.deliveries`).

Formats (the request bodies are built by :func:`render`, so tests can check them):

- ``webhook``: ``POST`` of the message as JSON (UTF-8) with
  ``X-Zeropark-Timestamp: <unix s>`` and
  ``X-Zeropark-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>`` — the
  scheme of Stripe's and GitHub's webhook signatures (timestamp bound into the MAC against
  replays); the receiver recomputes it with the shared secret (:func:`webhook_signature`).
- ``wecom`` (企业微信群机器人): ``POST`` to the robot's URL
  (``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``) with
  ``{"msgtype": "markdown", "markdown": {"content": …}}``, content at most 4096 bytes UTF-8;
  success is ``{"errcode": 0}``. Source: WeCom developer docs, 群机器人配置说明
  (developer.work.weixin.qq.com/document/path/91770), "markdown类型".
- ``dingtalk`` (钉钉自定义机器人): ``POST`` to ``https://oapi.dingtalk.com/robot/send?access_token=…``
  with ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``; with a signing secret
  (加签) the URL gets ``&timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret,
  "<ms>\\n<secret>")))>``; success is ``{"errcode": 0}``. Source: DingTalk open platform,
  自定义机器人安全设置 (加签) and 消息类型
  (open.dingtalk.com/document/robots/customize-robot-security-settings,
  open.dingtalk.com/document/robots/message-types-and-data-format).
- ``email``: SMTP with STARTTLS (RFC 3207) and optional login, a ``text/plain`` UTF-8 message
  in both languages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal

from zeropark.domain.monitoring.entries import CHANNEL_KINDS

__all__ = [
    "CHANNEL_KINDS",
    "ChannelConfig",
    "DeliveryError",
    "Message",
    "Rendered",
    "dingtalk_sign",
    "render",
    "send",
    "webhook_signature",
]

ChannelKind = Literal["webhook", "wecom", "dingtalk", "email"]

#: WeCom's limit on a markdown message's content [bytes, UTF-8] (群机器人配置说明).
WECOM_MARKDOWN_MAX_BYTES = 4096


class DeliveryError(Exception):
    """A message could not be delivered; ``reason`` says why (kept in the delivery record)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Message:
    """An alert notice: ``event`` ``raised`` or ``recovered``; texts in both languages; times
    already rendered in the park's local time by the caller."""

    event: Literal["raised", "recovered"]
    alert_id: int
    park_id: str
    rule_id: str | None
    severity: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    at_local: str
    link: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The generic webhook's payload."""
        return {
            "event": f"alert.{self.event}",
            "alert_id": self.alert_id,
            "park_id": self.park_id,
            "rule_id": self.rule_id,
            "severity": self.severity,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "body": {"zh": self.body_zh, "en": self.body_en},
            "at": self.at_local,
            "link": self.link,
            "data": dict(self.data),
        }


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """Where a channel sends: ``url`` (webhook, wecom, dingtalk), ``secret`` (webhook HMAC key,
    DingTalk 加签 secret), e-mail server and addresses. ``timeout_s`` [s] per attempt."""

    id: str
    kind: ChannelKind
    url: str | None = None
    secret: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    starttls: bool = True
    timeout_s: float = 10.0
    tls_context: ssl.SSLContext | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    """An HTTP request to send: URL, body bytes and headers."""

    url: str
    body: bytes
    headers: Mapping[str, str]


def webhook_signature(secret: str, timestamp_s: int, body: bytes) -> str:
    """``sha256=<hex>`` HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``."""
    mac = hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 HMAC-SHA256 of ``"<ms>\\n<secret>"`` under ``secret``,
    URL-encoded (as the ``sign`` query parameter)."""
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return urllib.parse.quote_plus(base64.b64encode(mac.digest()).decode())


def _markdown(message: Message) -> str:
    mark = "🔴" if message.event == "raised" else "🟢"
    lines = [
        f"### {mark} {message.title_zh}",
        f"{message.title_en}",
        "",
        f"> {message.body_zh}",
        f"> {message.body_en}",
        "",
        f"级别 severity: **{message.severity}** · {message.at_local}",
    ]
    if message.link:
        lines.append(f"[查看 view]({message.link})")
    return "\n".join(lines)


def _clip_utf8(text: str, max_bytes: int) -> str:
    raw = text.encode()
    if len(raw) <= max_bytes:
        return text
    return raw[: max_bytes - 3].decode(errors="ignore") + "…"


def render(channel: ChannelConfig, message: Message, *, now_s: int) -> Rendered:
    """The HTTP request of a webhook, WeCom or DingTalk channel (``now_s`` [UTC epoch s] for
    the signatures)."""
    if not channel.url:
        raise DeliveryError(f"channel {channel.id} has no url")
    json_headers = {"Content-Type": "application/json; charset=utf-8"}
    if channel.kind == "webhook":
        body = json.dumps(message.as_json(), ensure_ascii=False).encode()
        headers = dict(json_headers, **{"X-Zeropark-Timestamp": str(now_s)})
        if channel.secret:
            headers["X-Zeropark-Signature"] = webhook_signature(channel.secret, now_s, body)
        return Rendered(channel.url, body, headers)
    if channel.kind == "wecom":
        content = _clip_utf8(_markdown(message), WECOM_MARKDOWN_MAX_BYTES)
        payload: dict[str, Any] = {"msgtype": "markdown", "markdown": {"content": content}}
        return Rendered(channel.url, json.dumps(payload, ensure_ascii=False).encode(), json_headers)
    if channel.kind == "dingtalk":
        url = channel.url
        if channel.secret:
            ms = now_s * 1000
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}timestamp={ms}&sign={dingtalk_sign(channel.secret, ms)}"
        payload = {
            "msgtype": "markdown",
            "markdown": {"title": message.title_zh, "text": _markdown(message)},
        }
        return Rendered(url, json.dumps(payload, ensure_ascii=False).encode(), json_headers)
    raise DeliveryError(f"channel {channel.id}: {channel.kind} is not an HTTP channel")


def _post(request: Rendered, timeout_s: float, robot: bool) -> None:
    req = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers), method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            text = resp.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"connection failed: {reason}") from None
    if robot:
        try:
            answer = json.loads(text or b"{}")
        except ValueError:
            raise DeliveryError("the robot answered something other than JSON") from None
        if int(answer.get("errcode", 0)) != 0:
            raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def _email(channel: ChannelConfig, message: Message) -> None:
    if not channel.smtp_host or not channel.recipients or not channel.sender:
        raise DeliveryError(f"channel {channel.id} needs smtp_host, sender and recipients")
    mail = EmailMessage()
    mail["Subject"] = f"[{message.severity}] {message.title_zh} / {message.title_en}"
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.recipients)
    mail.set_content(
        f"{message.body_zh}\n\n{message.body_en}\n\n{message.at_local}\n"
        + (f"{message.link}\n" if message.link else ""),
        charset="utf-8",
    )
    try:
        with smtplib.SMTP(channel.smtp_host, channel.smtp_port, timeout=channel.timeout_s) as smtp:
            if channel.starttls:
                smtp.starttls(context=channel.tls_context or ssl.create_default_context())
            if channel.smtp_user:
                smtp.login(channel.smtp_user, channel.smtp_password or "")
            smtp.send_message(mail)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP: {exc}") from None


def send(channel: ChannelConfig, message: Message, *, now_s: int) -> None:
    """Send ``message`` over ``channel``; :class:`DeliveryError` when it did not arrive."""
    if channel.kind == "email":
        _email(channel, message)
        return
    _post(render(channel, message, now_s=now_s), channel.timeout_s, channel.kind != "webhook")
