"""Task churn: N short tasks created through gather, in chunks."""

import asyncio
import json
import resource
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000


async def short(i):
    await asyncio.sleep(0)
    return i


async def main():
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, N, 1000):
        await asyncio.gather(*(short(i) for i in range(start, min(N, start + 1000))))
    return time.perf_counter() - t0, time.process_time() - c0


wall, cpu = asyncio.run(main())
print(json.dumps({"seconds": wall, "cpu": cpu, "units": N, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
