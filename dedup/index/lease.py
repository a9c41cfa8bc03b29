"""A write lock on a Redis server that a dead worker holds for seconds, not minutes.

The lock is a key holding the holder's token, set to expire after a short
lease; a thread of the holder renews the lease while the holder lives, so a
batch may take as long as it needs (a slow reader downstream, a large
batch), and a worker killed at any moment blocks the others for at most one
lease. The token fences the holder's commit: the commit script runs only if
the key still holds it, so a holder that was stopped longer than its lease
(and whose lock another worker has since taken) commits nothing.
"""

from __future__ import annotations

import threading
import time
import uuid
from types import TracebackType
from typing import Any

LEASE = 5.0
"""Seconds a lock outlives its holder by default (``?lease=SECONDS`` in the URL)."""
POLL = 0.05
"""Seconds between two tries to take a lock another worker holds."""

RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Lease:
    """The lock at ``key``, taken for ``seconds`` at a time within ``wait`` seconds, renewed
    by a thread until released; ``token`` is what the holder's commit checks."""

    def __init__(self, client: Any, key: str, seconds: float = LEASE, wait: float = 30.0):
        self.client, self.key, self.seconds, self.wait = client, key, seconds, wait
        self.token = uuid.uuid4().hex
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._renew = client.register_script(RENEW)
        self._release = client.register_script(RELEASE)

    def acquire(self) -> bool:
        """Take the lock within ``wait`` seconds; False if another holder kept it all along."""
        deadline = time.monotonic() + self.wait
        millis = max(1, int(self.seconds * 1000))
        while not self.client.set(self.key, self.token, nx=True, px=millis):
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
        self._thread = threading.Thread(target=self._keep, name=f"lease {self.key}", daemon=True)
        self._thread.start()
        return True

    def _keep(self) -> None:
        millis = max(1, int(self.seconds * 1000))
        while not self._stop.wait(self.seconds / 4):
            try:
                if not self._renew(keys=[self.key], args=[self.token, millis]):
                    self.lost = True
                    return
            except Exception:  # busy with a long script, or away for a moment: try again (the commit checks)
                continue

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._release(keys=[self.key], args=[self.token])

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
