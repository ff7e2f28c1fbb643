"""The dashboard's two catalogues are complete (issue #11, item 5) — without a browser.

- ``i18n/zh.json`` and ``i18n/en.json`` hold the same keys, and no value is empty;
- every key a page asks for with ``t("…")`` or ``pageHeader("…")``/``panel("…")`` exists in both;
- the Chinese values hold no Latin words outside the allow-list the browser walk uses
  (units, standards, abbreviations; ``{placeholders}`` excluded);
- every catalogued item (``data/factors/items.csv``) and carrier has a label in both languages,
  so ``natural_gas`` or ``sodium_carbonate`` is never shown as a raw key;
- the issue catalogue served to the pages equals the server's (``scripts/gen_issue_messages.py``).

The browser walk (``test_roles_walk.py``) checks what is on screen; this test names the key.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_roles_walk import ZH_ALLOWED
from zeropark.domain.carriers import CARRIERS

STATIC = Path(__file__).resolve().parents[2] / "src" / "zeropark" / "web" / "static"
ITEMS = STATIC.parents[1] / "data" / "factors" / "items.csv"
#: t("ns.key") / pageHeader("ns.key") / panel("ns.key") / empty("ns.key") with a literal key.
KEY_CALL = re.compile(r"""\b(?:t|pageHeader|panel|empty)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def _catalogue(lang: str) -> dict[str, Any]:
    return json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _flat(doc: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


ZH, EN = _flat(_catalogue("zh")), _flat(_catalogue("en"))


def test_both_catalogues_hold_the_same_keys() -> None:
    assert sorted(set(ZH) - set(EN)) == [], "keys only in zh.json"
    assert sorted(set(EN) - set(ZH)) == [], "keys only in en.json"
    assert [k for k, v in {**ZH, **EN}.items() if not v.strip()] == [], "empty texts"


def _used_keys() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in sorted(STATIC.rglob("*.js")):
        if "vendor" in path.parts:
            continue
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, set()).add(path.name)
    return used


def test_every_key_a_page_asks_for_exists() -> None:
    used = _used_keys()
    assert len(used) > 100
    missing = {k: sorted(files) for k, files in used.items() if k not in EN or k not in ZH}
    assert missing == {}, "keys used by pages but missing in a catalogue"


def test_chinese_texts_hold_no_untranslated_english() -> None:
    found = {}
    for key, text in ZH.items():
        if key.startswith("codes.region."):
            continue  # keys are Chinese place names, values Chinese
        # {placeholders} and identifiers named on purpose (park.tariffs, e_main) aside
        plain = re.sub(r"\{\w+\}|\b[a-z]+(?:[._][a-z0-9_]+)+\b", "", text)
        words = re.findall(r"[A-Za-z]+", plain)
        bad = [w for w in words if w not in ZH_ALLOWED]
        if bad:
            found[key] = bad
    assert found == {}, "Latin words in zh.json"


def _item_codes() -> set[str]:
    with ITEMS.open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        return {row[0] for row in rows if row and row[0] != "code"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_item_and_carrier_has_a_label(lang: str) -> None:
    labels = _flat(_catalogue(lang))
    items = {k.removeprefix("codes.item.") for k in labels if k.startswith("codes.item.")}
    assert _item_codes() - items == set()
    assert set(CARRIERS) - items == set()
    # The Chinese label of natural gas is Chinese; the English one English.
    assert labels["codes.item.natural_gas"] == ("天然气" if lang == "zh" else "natural gas")
    assert labels["codes.item.sodium_carbonate"] == ("纯碱" if lang == "zh" else "soda ash")


def test_issue_catalogue_served_to_pages_is_the_servers() -> None:
    from zeropark.domain.issue_messages import messages_json

    served = (STATIC / "i18n" / "issues.json").read_text(encoding="utf-8")
    assert json.loads(served) == json.loads(messages_json())
