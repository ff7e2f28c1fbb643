"""Validation problems as data: one issue type from the domain to the API and the UI.

An :class:`Issue` says what is wrong (``code``, the stable class of the problem: what quarantine
stores and reports count), where (``source`` — the file, topic or request —, ``location`` — the
row, record or path inside it —, ``line``), which ``field`` and ``value``, and why, as data: a
``reason_code`` of the message catalogue (:mod:`zeropark.domain.issue_messages`) and the
``params`` its message is filled with. The text is rendered at the edge in the reader's
language (:meth:`Issue.reason`), never stored as the only form (Home Assistant's repairs are the
model: an issue id, a translation key and its placeholders).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from zeropark.domain.issue_messages import Lang, ParamValue, render

__all__ = ["Issue", "Lang", "ParamValue", "issue_from_dict"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: its code, where it is, the field and value, and the reason as code + params.

    ``reason_code`` defaults to ``code``; it is the key of the message catalogue and may be more
    specific than the code (code ``bad_number``, reason ``percent_not_quantity``).
    """

    code: str
    reason_code: str = ""
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)
    source: str | None = None
    location: str | None = None
    field: str | None = None
    value: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        if not self.reason_code:
            object.__setattr__(self, "reason_code", self.code)
        object.__setattr__(self, "params", dict(self.params))

    @property
    def path(self) -> str:
        """The location as a path inside a document (park files: ``meters[3].unit``)."""
        return self.location or ""

    @property
    def message(self) -> str:
        """The reason in English."""
        return self.reason("en")

    def reason(self, lang: Lang = "en") -> str:
        """The reason in ``lang``, from the catalogue (``params["detail"]`` when unknown)."""
        return render(self.reason_code, self.params, lang)

    def at(
        self,
        *,
        source: str | None = None,
        location: str | None = None,
        line: int | None = None,
    ) -> Issue:
        """This issue placed in a document: the given parts replace the issue's own."""
        return replace(
            self,
            source=source if source is not None else self.source,
            location=location if location is not None else self.location,
            line=line if line is not None else self.line,
        )

    def where(self, lang: Lang = "en") -> str:
        """``acts.csv, row 3`` / ``park.yaml:12: meters[3].unit`` — where the issue is, as text
        (in Chinese ``acts.csv，第 3 行``)."""
        head = self.source or ""
        if self.line is not None:
            head += f":{self.line}"
        parts = [p for p in (head, _location(self.location, lang)) if p]
        return (": " if self.line is not None else ", ").join(parts)

    def describe(self, lang: Lang = "en") -> str:
        """One readable line: ``where: field 'f' = 'v': reason [code]`` (in ``lang``)."""
        text = self.where(lang)
        if self.field:
            shown = f" = {self.value!r}" if self.value not in (None, "") else ""
            name = f"字段 {self.field!r}" if lang == "zh" else f"field {self.field!r}"
            text += (": " if text else "") + f"{name}{shown}"
        reason = self.reason(lang)
        return f"{text}: {reason} [{self.code}]" if text else f"{reason} [{self.code}]"

    def as_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """Plain data (the API's ``errors`` entries): every part, and ``reason`` in ``lang``."""
        return {
            "code": self.code,
            "source": self.source,
            "location": self.location,
            "line": self.line,
            "field": self.field,
            "value": self.value,
            "reason_code": self.reason_code,
            "params": dict(self.params),
            "reason": self.reason(lang),
        }

    def __str__(self) -> str:
        return self.describe("en")


_LOCATION_ZH = {"row": "第 {n} 行", "record": "第 {n} 条记录", "line": "第 {n} 行"}


def _location(location: str | None, lang: Lang) -> str | None:
    """``row 3`` → ``第 3 行`` in Chinese; other locations (paths, ``header``) as they are."""
    if lang != "zh" or not location:
        return location
    kind, _, number = location.partition(" ")
    if kind in _LOCATION_ZH and number.isdigit():
        return _LOCATION_ZH[kind].format(n=number)
    return "表头" if location == "header" else location


def issue_from_dict(data: Mapping[str, Any]) -> Issue:
    """The issue of :meth:`Issue.as_dict` output (``reason`` is derived, so ignored)."""
    params = data.get("params") or {}
    line = data.get("line")
    return Issue(
        code=str(data["code"]),
        reason_code=str(data.get("reason_code") or data["code"]),
        params={str(k): v for k, v in params.items()},
        source=data.get("source"),
        location=data.get("location"),
        field=data.get("field"),
        value=data.get("value"),
        line=int(line) if line is not None else None,
    )
