"""A deterministic input hash: the same lines, factors and options give the same sha256.

The payload is canonical JSON (sorted keys, no whitespace, UTF-8, floats by ``repr``) of the
lines (sorted, so their order does not matter), the options and the factor set — its dataset
versions and a digest of every factor row — so a published inventory can be reproduced bit
for bit, and a changed factor changes the hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from zeropark.domain.accounting.context import AccountingOptions
from zeropark.domain.accounting.factors import FactorSet
from zeropark.domain.accounting.lines import ActivityLine

__all__ = ["HASH_SCHEMA", "canonical_json", "factor_digest", "input_hash"]

HASH_SCHEMA = "zeropark.accounting.input/1"


def canonical_json(value: object) -> str:
    """Canonical JSON text of ``value`` (sorted keys, compact, non-ASCII kept)."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def factor_digest(factors: FactorSet) -> str:
    """sha256 of every factor row (order-independent)."""
    rows = sorted(canonical_json(f.describe()) for f in factors.factors)
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def input_hash(
    lines: Iterable[ActivityLine], factors: FactorSet, options: AccountingOptions
) -> str:
    """sha256 (hex) of the canonical payload of ``lines``, ``factors`` and ``options``."""
    payload = {
        "schema": HASH_SCHEMA,
        "lines": sorted(canonical_json(line.canonical()) for line in lines),
        "options": options.canonical(),
        "factor_versions": factors.versions(),
        "factor_digest": factor_digest(factors),
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
