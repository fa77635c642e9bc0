"""Loopback I/O: N request/response round trips over asyncio streams (after a warm-up)."""

import asyncio
import json
import resource
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
USE_UVLOOP = "--uvloop" in sys.argv


async def handle(reader, writer):
    while True:
        data = await reader.read(64)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def client(port, rounds):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(rounds):
        writer.write(b"x" * 32)
        await reader.readexactly(32)
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    # The first connection of a process is several times slower here: keep it out of the timing.
    await client(port, 2000)
    t0, c0 = time.perf_counter(), time.process_time()
    await client(port, N)
    elapsed = time.perf_counter() - t0, time.process_time() - c0
    server.close()
    await server.wait_closed()
    return elapsed


if USE_UVLOOP:
    import uvloop

    result = uvloop.run(main()) if hasattr(uvloop, "run") else None
    if result is None:
        loop = uvloop.new_event_loop()
        result = loop.run_until_complete(main())
        loop.close()
else:
    result = asyncio.run(main())
print(json.dumps({"seconds": result[0], "cpu": result[1], "units": N, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
