"""10,000 live tasks, churning: each worker sleeps a while and ends, and main() starts another in
its place, so the count stays at N while tasks finish and start all the time.

    python churn10k.py [N] [seconds] [mean lifetime in seconds]
"""

import asyncio
import itertools
import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0


async def worker(n):
    await asyncio.sleep(random.uniform(0.5, 1.5) * LIFETIME)
    return n


async def main():
    loop = asyncio.get_running_loop()
    ended = asyncio.Queue()
    ids = itertools.count()

    def spawn():
        n = next(ids)
        task = asyncio.create_task(worker(n), name=f"worker-{n}")
        task.add_done_callback(ended.put_nowait)

    for _ in range(N):
        spawn()
    print(f"{N} workers started", flush=True)
    loop.call_later(SECONDS, ended.put_nowait, None)
    while await ended.get() is not None:
        spawn()
    print(f"started {next(ids)} workers in all", flush=True)


asyncio.run(main())
