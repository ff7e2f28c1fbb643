"""Overlap reading with writing: parse the next chunk of a file while the last one is stored.

A bounded queue (default: one chunk ahead) keeps memory bounded; an error in the reader is raised
in the consumer, and a consumer that stops early stops the reader.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["prefetch"]

T = TypeVar("T")
_DONE = object()


def prefetch(source: Iterator[T], ahead: int = 1) -> Iterator[T]:
    """Yield the items of ``source``, producing up to ``ahead`` of them in a background thread."""
    slots: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in source:
                while not stop.is_set():
                    try:
                        slots.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            slots.put(_DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            slots.put(exc)

    worker = threading.Thread(target=produce, name="zeropark-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join(timeout=5)
