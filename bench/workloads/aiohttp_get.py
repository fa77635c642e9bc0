"""aiohttp: N sequential GETs to a local aiohttp server (Debian's python3-aiohttp)."""

import asyncio
import json
import resource
import sys
import time

from aiohttp import ClientSession, web

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000


async def hello(request):
    return web.Response(text="hello")


async def main():
    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    url = "http://127.0.0.1:%d/" % port
    async with ClientSession() as session:
        for _ in range(300):
            async with session.get(url) as r:
                await r.text()
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(N):
            async with session.get(url) as r:
                await r.text()
        elapsed = time.perf_counter() - t0, time.process_time() - c0
    await runner.cleanup()
    return elapsed


wall, cpu = asyncio.run(main())
print(json.dumps({"seconds": wall, "cpu": cpu, "units": N, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
