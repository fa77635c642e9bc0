"""Step-heavy: N awaits through an asyncio.Queue ping-pong between two tasks."""

import asyncio
import json
import resource
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000


async def main():
    ping, pong = asyncio.Queue(), asyncio.Queue()

    async def player(inbox, outbox, rounds):
        for _ in range(rounds):
            await outbox.put(await inbox.get())

    await ping.put(0)
    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(player(ping, pong, N // 2), player(pong, ping, N // 2))
    return time.perf_counter() - t0, time.process_time() - c0


wall, cpu = asyncio.run(main())
print(json.dumps({"seconds": wall, "cpu": cpu, "units": N, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
