"""Records a step-heavy program (a Queue ping-pong) under the task hooks, encodes its batches as
`records` bodies (tasks/wire.py) and writes them as JSON for fold_bench.js; prints what encoding
costs per record, next to what folding them in Python (tasks/model.py, as live.py did) costs.

    PYTHONPATH=src/agent python bench/fold/record_stream.py OUT.json [STEPS]
"""

import asyncio
import json
import sys
import time

from asyncio_debugger import tasks
from asyncio_debugger.tasks import hooks, model, wire

GROUP = 2  # batches per body: the recorder flushes every 50 ms, live.py sends every 100 ms


class CollectingSink(tasks.Sink):
    def __init__(self):
        self.batches = []

    def write(self, batch):
        self.batches.append(batch)


async def ping_pong(steps):
    ping, pong = asyncio.Queue(), asyncio.Queue()

    async def player(inbox, outbox, rounds):
        for _ in range(rounds):
            await outbox.put(await inbox.get())

    await ping.put(0)
    await asyncio.gather(player(ping, pong, steps // 2), player(pong, ping, steps // 2))


def encode(t0, batches):
    encoder = wire.Encoder(hooks.registry, t0)
    out = []
    for i in range(0, len(batches), GROUP):
        group = batches[i : i + GROUP]
        body = encoder.encode(group, group[-1].now)
        body["dropped"] = {"records": 0, "objects": 0}
        out.append(body)
    return out


def best_of(n, fn):
    best = None
    for _ in range(n):
        start = time.perf_counter_ns()
        fn()
        took = time.perf_counter_ns() - start
        best = took if best is None else min(best, took)
    return best


def main(out_path, steps):
    sink = CollectingSink()
    t0 = time.perf_counter_ns()
    tracker = tasks.start(sink, interval=0.05, max_batch_records=10_000_000)
    try:
        asyncio.run(ping_pong(steps))
    finally:
        tracker.stop()
    batches = sink.batches
    records = sum(len(b.records) for b in batches)
    encode_ns = best_of(5, lambda: encode(t0, batches))
    # What the channel then spends on each body: json.dumps of the event, or wire.event_line.
    encoded = encode(t0, batches)
    event = {"type": "event", "event": "records"}
    json_ns = best_of(5, lambda: [json.dumps(dict(event, body=b), separators=(",", ":")) for b in encoded])
    line_ns = best_of(5, lambda: [wire.event_line(b) for b in encoded])

    def fold():
        trace = model.Trace(hooks.registry)
        for batch in batches:
            trace.feed(batch)

    fold_ns = best_of(3, fold)
    bodies = encode(t0, batches)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"records": records, "bodies": bodies}, f)
    print(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "records": records,
                "dropped": tracker.dropped,
                "bodies": len(bodies),
                "encode_us_per_record": round(encode_ns / records / 1000, 3),
                "json_dumps_us_per_record": round(json_ns / records / 1000, 3),
                "event_line_us_per_record": round(line_ns / records / 1000, 3),
                "python_fold_us_per_record": round(fold_ns / records / 1000, 3),
                "bytes_per_record": round(sum(len(b["data"]) for b in bodies) * 3 / 4 / records, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200_000)
