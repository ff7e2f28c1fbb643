"""The ``Content-Disposition`` of a download: one rule for every route that sends a file.

HTTP headers are Latin-1; a name built from request input (a tenant id, a park id) could hold any
character, and an unencodable header is a 500. The plain ``filename`` keeps only safe ASCII
(letters, digits, ``-_.``; anything else becomes ``_``) and ``filename*`` carries the name in UTF-8
percent-encoding (RFC 6266 / RFC 5987), which browsers prefer.
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["attachment"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def attachment(name: str) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` for ``name``."""
    plain = _UNSAFE.sub("_", name)[:200] or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name[:200], safe='')}"
