"""Call-heavy asyncio workload: coroutines doing pure-Python work with many small function calls."""
import asyncio
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000


def parse(line):
    key, _, value = line.partition("=")
    return key.strip(), int(value)


async def worker(lines):
    total = 0
    for i, line in enumerate(lines):
        total += parse(line)[1]
        if i % 1000 == 0:
            await asyncio.sleep(0)
    return total


async def main():
    lines = [f"k{i} = {i}" for i in range(N // 4)]
    await asyncio.gather(*(worker(lines) for _ in range(4)))


t0, c0 = time.perf_counter(), time.process_time()
asyncio.run(main())
print(f"ELAPSED {time.perf_counter() - t0:.6f}")
print(f"CPU {time.process_time() - c0:.6f} PROCESS {time.process_time():.6f}")
