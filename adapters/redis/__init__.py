"""Redis adapters of the chat runtime (inbox, delivery log, chat lock, frame bus) for the production mode.

Every call goes through ``retry.call_with_retry``: transient failures are retried with bounded exponential
backoff and jitter, and whatever still fails leaves as ``application.errors.StorageUnavailable``.
"""
