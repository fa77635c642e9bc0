"""Step-heavy asyncio workload: a Queue ping-pong between two tasks (many await steps)."""
import asyncio
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000


async def ping(q_out, q_in, n):
    for i in range(n):
        await q_out.put(i)
        await q_in.get()


async def pong(q_in, q_out, n):
    for _ in range(n):
        v = await q_in.get()
        await q_out.put(v)


async def main():
    a, b = asyncio.Queue(), asyncio.Queue()
    await asyncio.gather(ping(a, b, N), pong(a, b, N))


t0, c0 = time.perf_counter(), time.process_time()
asyncio.run(main())
print(f"ELAPSED {time.perf_counter() - t0:.6f}")
print(f"CPU {time.process_time() - c0:.6f} PROCESS {time.process_time():.6f}")
