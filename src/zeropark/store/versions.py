"""The data version of a database: what every write of data moves (for answer caches).

:func:`data_version` is the audit head, the newest quarantine record and the newest alert, read
in one statement. Every accepted batch, configuration change, publication and review appends
to the audit log; refused rows go to quarantine; checks raise alerts.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from zeropark.store.schema import alerts, audit_log, quarantine

__all__ = ["data_version"]


def data_version(conn: Connection) -> tuple[int, int, int]:
    """(audit head, newest quarantine id, newest alert id); 0 where a table is empty."""
    head = select(func.max(audit_log.c.seq)).scalar_subquery()
    held = select(func.max(quarantine.c.id)).scalar_subquery()
    raised = select(func.max(alerts.c.id)).scalar_subquery()
    row = conn.execute(select(head, held, raised)).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
