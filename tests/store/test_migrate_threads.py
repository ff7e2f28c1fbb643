"""The first requests of a fresh worker migrate at once: Alembic's module globals must not race.

The API benchmark's first burst on ``serve --workers 2`` answered 500 with ``KeyError: 'script'``
from ``alembic.util.langhelpers`` when two threads migrated at the same moment.
"""

from __future__ import annotations

import threading
from pathlib import Path

from zeropark.service.database import Database


def test_concurrent_first_use_migrates_without_error(tmp_path: Path) -> None:
    databases = [Database(f"sqlite:///{tmp_path / f'db{k}.db'}") for k in range(6)]
    databases += [databases[0]] * 2  # the same database from two threads, too
    barrier = threading.Barrier(len(databases))
    errors: list[BaseException] = []

    def first_use(db: Database) -> None:
        barrier.wait()
        try:
            with db.transaction():
                pass
        except BaseException as exc:  # collected: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=first_use, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for db in set(databases):
        db.dispose()
    assert errors == []
