"""The language of a request: ``?lang=zh|en``, else ``Accept-Language``, else the server's.

A pure ASGI middleware sets it for the request's context (:func:`zeropark.i18n.use_lang`), so
every message the request produces — problem+json ``detail``, issue ``reason``, texts written
with ``t()`` — is in that language, and the response says which (``Content-Language``).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zeropark.i18n import Lang, get_lang, parse_lang, use_lang

__all__ = ["RequestLanguage", "request_lang"]


def request_lang(scope: Scope) -> Lang | None:
    """The language a request asks for (``?lang=`` first, then ``Accept-Language``)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    chosen = parse_lang((query.get("lang") or [""])[0])
    if chosen is not None:
        return chosen
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return parse_lang(value.decode("latin-1"))
    return None


class RequestLanguage:
    """Sets the request's language for everything that runs inside it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request in its language and name it in ``Content-Language``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with use_lang(request_lang(scope)):
            lang = get_lang()

            async def send_with_language(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = [
                        (k, v) for k, v in message.get("headers", []) if k != b"content-language"
                    ]
                    headers.append((b"content-language", lang.encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_language)
