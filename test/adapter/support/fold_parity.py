"""Runs fixture programs under the task hooks and prints, as one JSON document on stdout, for each:
the `records` bodies tasks/wire.py makes of its batches (spread over several bodies), and what the
agent's own model (tasks/model.py fed the same batches) says: every task's record, every span and
every edge. taskFold.test.ts folds the bodies in the adapter and compares.

    python fold_parity.py [fixture ...]      (PYTHONPATH=src/agent)
"""

import asyncio
import collections
import gc
import json
import sys
import time

from asyncio_debugger import tasks
from asyncio_debugger.debugger.safe_repr import MAX_NAME, short_name
from asyncio_debugger.tasks import hooks, model, native, wire
from asyncio_debugger.tasks.recorder import Batch

HAS_TASKGROUP = hasattr(asyncio, "TaskGroup")
HAS_EAGER = hasattr(asyncio, "eager_task_factory")


class CollectingSink(tasks.Sink):
    def __init__(self):
        self.batches = []

    def write(self, batch):
        self.batches.append(batch)


def quiet(loop):
    # "Task exception was never retrieved" still reaches the hooks; just not stderr.
    loop.set_exception_handler(lambda loop, context: None)


# Fixture programs -------------------------------------------------------------------------------


async def pipeline():
    quiet(asyncio.get_running_loop())
    queue = asyncio.Queue(maxsize=2)
    results = []

    async def produce():
        for i in range(30):
            await queue.put(i)
        for _ in range(3):
            await queue.put(None)

    async def consume(n):
        while (item := await queue.get()) is not None:
            results.append(item * n)
            await asyncio.sleep(0)

    if HAS_TASKGROUP:
        async with asyncio.TaskGroup() as group:
            group.create_task(produce(), name="producer")
            for n in range(3):
                group.create_task(consume(n), name="consumer-%d" % n)
    else:
        await asyncio.gather(produce(), *(consume(n) for n in range(3)))
    return results


async def nested_gather():
    async def leaf(i):
        await asyncio.sleep(0.001 * (i % 3))
        return i

    async def branch(k):
        return sum(await asyncio.gather(*(leaf(k * 10 + i) for i in range(4))))

    return await asyncio.gather(*(branch(k) for k in range(3)))


async def cancellation():
    quiet(asyncio.get_running_loop())

    async def sleeper():
        await asyncio.sleep(10)

    async def canceller(victim):
        await asyncio.sleep(0.002)
        victim.cancel()

    victim = asyncio.create_task(sleeper(), name="victim")
    await canceller(victim)
    try:
        await victim
    except asyncio.CancelledError:
        pass
    # cancel() before the task ever ran (3.12+: who called it, cancels.py).
    early = asyncio.create_task(sleeper(), name="early")
    early.cancel()
    try:
        await early
    except asyncio.CancelledError:
        pass
    # A task waiting on a cancelled task is cancelled through it.
    inner = asyncio.create_task(sleeper(), name="inner")

    async def outer_body():
        await inner

    outer = asyncio.create_task(outer_body(), name="outer")
    await asyncio.sleep(0.001)
    inner.cancel()
    await asyncio.gather(outer, return_exceptions=True)
    if HAS_TASKGROUP:

        async def fail():
            await asyncio.sleep(0.001)
            raise ValueError("boom")

        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(sleeper(), name="aborted")
                group.create_task(fail(), name="failing")
        except BaseException:  # noqa: BLE001 - ExceptionGroup (3.11+)
            pass


async def eager():
    loop = asyncio.get_running_loop()
    if HAS_EAGER:
        loop.set_task_factory(asyncio.eager_task_factory)

    async def quick(i):
        return i

    async def slow(i):
        await asyncio.sleep(0.001)
        return i

    first = [asyncio.create_task(quick(i)) for i in range(5)]
    second = [asyncio.create_task(slow(i), name="slow-%d" % i) for i in range(5)]
    await asyncio.gather(*first, *second)
    loop.set_task_factory(None)


async def timeouts():
    async def slow():
        await asyncio.sleep(1)

    for _ in range(3):
        try:
            await asyncio.wait_for(slow(), 0.002)
        except asyncio.TimeoutError:
            pass
    await asyncio.wait_for(asyncio.sleep(0), 1)
    if hasattr(asyncio, "timeout"):
        try:
            async with asyncio.timeout(0.002):
                await asyncio.sleep(1)
        except TimeoutError:
            pass


async def ping_pong():
    ping, pong = asyncio.Queue(), asyncio.Queue()

    async def player(inbox, outbox, rounds):
        for _ in range(rounds):
            await outbox.put(await inbox.get())

    await ping.put(0)
    await asyncio.gather(player(ping, pong, 300), player(pong, ping, 300))


async def resolved_elsewhere():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    event = asyncio.Event()
    lock = asyncio.Lock()
    sem = asyncio.Semaphore(1)

    async def waiter():
        value = await fut
        await event.wait()
        async with lock, sem:
            await asyncio.sleep(0)
        return value

    async def resolver():
        await asyncio.sleep(0.001)
        fut.set_result(42)
        await asyncio.sleep(0.001)
        event.set()

    async with lock:
        tasks_ = [asyncio.create_task(waiter(), name="waiter-%d" % i) for i in range(3)]
        await asyncio.create_task(resolver(), name="resolver")
    done, _ = await asyncio.wait(tasks_)
    for f in asyncio.as_completed([asyncio.shield(asyncio.sleep(0.001, i)) for i in range(3)]):
        await f
    return len(done)


async def exceptions():
    quiet(asyncio.get_running_loop())

    async def bad(i):
        await asyncio.sleep(0)
        raise KeyError("missing %d" % i)

    for i in range(3):
        try:
            await asyncio.create_task(bad(i))
        except KeyError:
            pass
    # Never retrieved: asyncio reports it when the task is collected.
    task = asyncio.create_task(bad(99), name="forgotten")
    await asyncio.sleep(0.001)
    del task
    gc.collect()
    await asyncio.sleep(0)
    await asyncio.gather(bad(5), return_exceptions=True)


async def named_late():
    async def work():
        await asyncio.sleep(0.001)

    task = asyncio.create_task(work(), name="named-at-creation")
    later = asyncio.get_running_loop().create_task(work())
    later.set_name("renamed-later")
    long = asyncio.create_task(work(), name="x" * 150 + "\U0001f600" * 80 + "tail")
    await asyncio.gather(task, later, long)


async def many_short():
    async def short(i):
        if i % 2:
            await asyncio.sleep(0)
        return i

    for _ in range(4):
        await asyncio.gather(*(short(i) for i in range(500)))


async def with_thread_loop():
    def other():
        asyncio.run(nested_gather())

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, other)


async def churn():
    """100,000 short tasks; the latest 30,000 stay referenced, so their ids are not reused soon."""
    history = collections.deque(maxlen=30_000)

    async def short(i):
        return i

    for _ in range(100):
        wave = [asyncio.create_task(short(i)) for i in range(1000)]
        await asyncio.gather(*wave)
        history.extend(wave)


FIXTURES = {
    "pipeline": pipeline,
    "nested_gather": nested_gather,
    "cancellation": cancellation,
    "eager": eager,
    "timeouts": timeouts,
    "ping_pong": ping_pong,
    "resolved_elsewhere": resolved_elsewhere,
    "exceptions": exceptions,
    "named_late": named_late,
    "many_short": many_short,
    "thread_loop": with_thread_loop,
}
# Run only when named; their model output is left out (too big to be worth comparing).
LARGE = {"churn": churn}

# Recording and encoding -------------------------------------------------------------------------


def record(program):
    sink = CollectingSink()
    t0 = time.perf_counter_ns()
    # Room for every record even when a loaded machine delays the recorder's flushes.
    tracker = tasks.start(sink, interval=0.002, max_batch_records=10_000_000)
    try:
        asyncio.run(program())
    finally:
        tracker.stop()
    if tracker.dropped:
        raise RuntimeError("%d records dropped: the comparison needs them all" % tracker.dropped)
    return t0, sink.batches


def split(batches, size=23):
    """Cut big batches in pieces, so that state carries over many batches and bodies. A side
    object goes with the piece holding the first record of its time or later (its CANCEL record)."""
    out = []
    for batch in batches:
        records = batch.records
        if len(records) <= size:
            out.append(batch)
            continue
        pieces = [records[start : start + size] for start in range(0, len(records), size)]
        objects = [[] for _ in pieces]
        for obj in batch.objects:
            at = next(
                (i for i, piece in enumerate(pieces) if any(r[1] >= obj[1] for r in piece)),
                len(pieces) - 1,
            )
            objects[at].append(obj)
        out.extend(Batch(piece, objs, batch.now) for piece, objs in zip(pieces, objects))
    return out


def bodies(t0, batches):
    encoder = wire.Encoder(hooks.registry, t0)
    out = []
    i = n = 0
    while i < len(batches):
        group = batches[i : i + 1 + n % 3]
        i += len(group)
        n += 1
        body = encoder.encode(group, group[-1].now)
        body["dropped"] = {"records": 0, "objects": 0}
        out.append(body)
    return out


def expected(t0, batches):
    trace = model.Trace(hooks.registry)
    for batch in batches:
        trace.feed(batch)
    records = []
    for info in trace.tasks.values():
        record = native.task_record(info, t0)
        if isinstance(record.get("name"), str) and len(record["name"]) > MAX_NAME:
            record["name"] = short_name(record["name"])
        records.append(record)
    ids, starts, ends, sched, woke, wkind, won, lines = trace.spans
    return {
        "tasks": records,
        "spans": {
            "task": ids.tolist(),
            "start": [v - t0 for v in starts],
            "end": [v - t0 for v in ends],
            "scheduled": [None if v == 0 else v - t0 for v in sched],
            "woken_by": woke.tolist(),
            "awaits_kind": list(wkind),
            "awaits_id": won.tolist(),
            "line": lines.tolist(),
        },
        "edges": [[kind, a, b, t - t0] for kind, a, b, t in trace.edges],
    }


def main(names):
    out = {"python": sys.version.split()[0], "fixtures": []}
    for name in names or list(FIXTURES):
        t0, batches = record(FIXTURES.get(name) or LARGE[name])
        if name in FIXTURES:
            batches = split(batches)
        fixture = {
            "name": name,
            "records": sum(len(b.records) for b in batches),
            "bodies": bodies(t0, batches),
        }
        if name in FIXTURES:
            fixture["expected"] = expected(t0, batches)
        out["fixtures"].append(fixture)
    json.dump(out, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main(sys.argv[1:])
