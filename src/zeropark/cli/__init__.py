"""The ``zeropark`` command line (typer + rich) over the service layer.

Each module registers its commands on :data:`zeropark.cli.base.app`; importing them here is what
puts them on the command line.
"""

from zeropark.cli import account as _account  # noqa: F401
from zeropark.cli import bills as _bills  # noqa: F401
from zeropark.cli import data as _data  # noqa: F401
from zeropark.cli import demo as _demo  # noqa: F401
from zeropark.cli import dispatch as _dispatch  # noqa: F401
from zeropark.cli import doctor as _doctor  # noqa: F401
from zeropark.cli import ingest as _ingest  # noqa: F401
from zeropark.cli import inventory as _inventory  # noqa: F401
from zeropark.cli import ledger as _ledger  # noqa: F401
from zeropark.cli import monitor as _monitor  # noqa: F401
from zeropark.cli import park as _park  # noqa: F401
from zeropark.cli import report as _report  # noqa: F401
from zeropark.cli import serve as _serve  # noqa: F401
from zeropark.cli import users as _users  # noqa: F401
from zeropark.cli.base import app, main

__all__ = ["app", "main"]
