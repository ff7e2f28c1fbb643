"""SQL only in the store (docs/architecture.md): service modules build no SQL.

A use case calls store functions; the only SQLAlchemy name it may use is the ``Connection`` type
it passes on, and no service module imports the table definitions (``zeropark.store.schema``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import zeropark.service

SERVICE = Path(zeropark.service.__file__).parent

#: Service modules that may use more of SQLAlchemy, and why.
ENGINE_WRAPPERS = {
    "database.py": "the engine wrapper: Database opens the engine and its transactions",
    "cache.py": "listens to the engine's commits to invalidate cached answers",
}


def _imports(path: Path) -> list[tuple[str, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            out += [(alias.name, "") for alias in node.names]
    return out


def test_service_modules_build_no_sql() -> None:
    offenders = []
    for path in sorted(SERVICE.rglob("*.py")):
        relative = path.relative_to(SERVICE).as_posix()
        for module, name in _imports(path):
            if (
                module == "zeropark.store.schema"
                or (module == "zeropark.store" and name == "schema")
                or (
                    module.split(".")[0] == "sqlalchemy"
                    and relative not in ENGINE_WRAPPERS
                    and (module, name) != ("sqlalchemy", "Connection")
                )
            ):
                offenders.append(f"{relative}: {module} {name}")
    assert offenders == [], "move the SQL into a store function (store/*.py)"
