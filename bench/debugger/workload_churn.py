"""Task-churn asyncio workload: many short tasks created and gathered."""
import asyncio
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000


async def job(i):
    await asyncio.sleep(0)
    return i * 2


async def main():
    for start in range(0, N, 5_000):
        await asyncio.gather(*(job(i) for i in range(start, min(N, start + 5_000))))


t0, c0 = time.perf_counter(), time.process_time()
asyncio.run(main())
print(f"ELAPSED {time.perf_counter() - t0:.6f}")
print(f"CPU {time.process_time() - c0:.6f} PROCESS {time.process_time():.6f}")
