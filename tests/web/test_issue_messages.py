"""The dashboard's issue message table is the domain's catalogue (issue #10), and the catalogue
renders in both languages (no browser needed)."""

from __future__ import annotations

import json
import re

from zeropark.domain.issue_messages import MESSAGES, messages_json, render
from zeropark.domain.issues import Issue
from zeropark.web import STATIC_DIR

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_shipped_table_is_the_catalogue() -> None:
    shipped = (STATIC_DIR / "i18n" / "issues.json").read_text(encoding="utf-8")
    assert shipped == messages_json(), "run: python scripts/gen_issue_messages.py"
    assert set(json.loads(shipped)) == set(MESSAGES)


def _names(template: str) -> set[str]:
    """Placeholders; a name's language variants (``kind_zh``/``kind_en``) count as the name.
    A Chinese message may name a thing twice (its Chinese name and its code)."""
    return {re.sub(r"_(zh|en)$", "", name) for name in PLACEHOLDER.findall(template)}


def test_both_languages_of_a_message_take_the_same_parameters() -> None:
    for code, (zh, en) in MESSAGES.items():
        assert _names(zh) == _names(en), code
        assert zh != en or code == "text", code


def test_a_missing_parameter_or_unknown_code_falls_back_to_the_detail() -> None:
    assert render("bad_period", {"period": "2024-13"}, "zh").startswith("无法识别期间“2024-13”")
    assert render("bad_period", {"detail": "as written"}, "zh") == "as written"
    assert render("no_such_code", {}, "en") == "no_such_code"
    issue = Issue("negative", "negative_quantity", field="quantity", value="-5")
    assert issue.reason("zh").startswith("数量不能为负")
    assert issue.as_dict("zh")["reason"] == issue.reason("zh")
