"""Write the web dashboard's issue message table from the one catalogue.

Usage: ``python scripts/gen_issue_messages.py`` (rewrite) or ``--check`` (exit 1 when stale).
``src/zeropark/web/static/i18n/issues.json`` is generated from
:data:`zeropark.domain.issue_messages.MESSAGES`; edit the catalogue, never the JSON.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zeropark.domain.issue_messages import messages_json

TABLE = Path(__file__).resolve().parents[1] / "src" / "zeropark" / "web" / "static" / "i18n"
TABLE = TABLE / "issues.json"


def main(argv: list[str]) -> int:
    """Write the table (or with ``--check`` say whether it is stale); the exit status."""
    text = messages_json()
    if "--check" in argv:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != text:
            print(f"{TABLE} is stale: run python scripts/gen_issue_messages.py")
            return 1
        return 0
    TABLE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
