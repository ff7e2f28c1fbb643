"""A quiet HiGHS instance.

HiGHS prints its banner ("Running HiGHS …") on the C-level standard output when the first
instance of a process is made, before any option can turn output off; it would land in the
middle of a command's output (``--format json`` included). :func:`new_highs` makes that first
instance with file descriptor 1 pointed at the null device for the moment of construction, and
every instance with ``output_flag`` off.
"""

from __future__ import annotations

import os
import sys
import threading

import highspy

__all__ = ["new_highs"]

_lock = threading.Lock()
_first = [True]


def new_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing."""
    with _lock:
        if _first[0]:
            sys.stdout.flush()
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            try:
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _first[0] = False
        else:
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    return highs
