"""A worker's proof of life in Redis that a busy machine cannot fake away."""

from __future__ import annotations

import logging
import threading

from redis import Redis

log = logging.getLogger(__name__)


class WorkerLease:
    """Keeps ``key`` alive with a TTL of ``seconds``, renewed every sixth of that from a daemon thread with
    its own (synchronous) Redis connection.

    Not from the event loop: a job hogging the loop, or a machine so busy the loop runs late, would let a
    heartbeat written there lapse while the worker is alive and working, and its running job would be
    started a second time elsewhere. A thread needs only a moment of CPU (and the GIL, which a busy loop
    yields every few milliseconds) to renew. The lease lapses only when the process is gone, or frozen as
    long as the lease itself (a ``SIGSTOP``, a hung host): make it generous.
    """

    def __init__(self, redis_url: str, key: str, seconds: float) -> None:
        self._client = Redis.from_url(redis_url, socket_timeout=min(5.0, seconds / 3),
                                      socket_connect_timeout=min(5.0, seconds / 3))
        self._key = key
        self._ttl_ms = int(seconds * 1000)
        self._every = seconds / 6
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._keep, name=f"lease:{key}", daemon=True)

    def start(self) -> None:
        """Takes the lease (raises if Redis is unreachable), then keeps it in the background."""
        self._client.set(self._key, b"alive", px=self._ttl_ms)
        self._thread.start()

    def stop(self) -> None:
        """Gives the lease up, so whatever this worker still held is free at once."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        try:
            self._client.delete(self._key)
        except Exception:
            log.warning("could not give the worker lease up; it lapses on its own", exc_info=True)
        finally:
            self._client.close()

    def _keep(self) -> None:
        while not self._stopped.wait(self._every):
            try:
                self._client.set(self._key, b"alive", px=self._ttl_ms)
            except Exception:  # Redis away for a moment: the TTL leaves room for five more tries
                log.warning("could not renew the worker lease", exc_info=True)
