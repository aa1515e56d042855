"""A job a worker picked but died before claiming (its in-progress key set, no ``running`` entry) is freed by
the sweeper after a grace period, instead of waiting out arq's hour-long in-progress key."""

from __future__ import annotations

from redis.asyncio import Redis

from adapters.jobs.arq_names import ArqNames
from adapters.jobs.arq_unclaimed import ArqUnclaimedJobs


async def test_an_unclaimed_job_is_freed_on_the_second_look_and_a_claimed_one_never(redis_client: Redis) -> None:
    names = ArqNames("unclaimed-test")
    orphan, busy = names.job_id("index:orphan"), names.job_id("index:busy")
    for job_id in (orphan, busy):
        await redis_client.zadd(names.queue, {job_id: 1})
        await redis_client.psetex(names.in_progress(job_id), 3_600_000, b"1")
    await redis_client.hset(names.running, busy, "host:1:abc")
    sweeper = ArqUnclaimedJobs(redis_client, names, grace_ms=0)

    assert await sweeper.free() == 0  # first sighting: noted, not freed (a live worker may be claiming it)
    assert await sweeper.free() == 1
    assert not await redis_client.exists(names.in_progress(orphan))
    assert await redis_client.exists(names.in_progress(busy))
    assert await redis_client.hkeys(names.unclaimed) == []


async def test_a_job_claimed_after_its_first_sighting_is_forgotten(redis_client: Redis) -> None:
    names = ArqNames("unclaimed-test")
    job_id = names.job_id("index:slow-start")
    await redis_client.zadd(names.queue, {job_id: 1})
    await redis_client.psetex(names.in_progress(job_id), 3_600_000, b"1")
    sweeper = ArqUnclaimedJobs(redis_client, names, grace_ms=0)
    assert await sweeper.free() == 0
    await redis_client.hset(names.running, job_id, "host:2:def")  # the worker got to it
    assert await sweeper.free() == 0
    assert await redis_client.exists(names.in_progress(job_id))
    assert await redis_client.hkeys(names.unclaimed) == []
