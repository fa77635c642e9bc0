"""A three-stage pipeline under one TaskGroup (Python 3.11+).

Fetch -> parse -> store, joined by queues. Set a breakpoint in `parse` and look at the Call Stack:
each stage is its own task, and the TaskGroup cancels the others if one of them fails.
"""

import asyncio
import random
import sys

DOCUMENTS = 8


async def fetch(out: asyncio.Queue[str | None]) -> None:
    for n in range(DOCUMENTS):
        await asyncio.sleep(random.uniform(0.01, 0.05))  # pretend network latency
        await out.put(f"doc-{n}: " + "word " * (n + 1))
    await out.put(None)


async def parse(inp: asyncio.Queue[str | None], out: asyncio.Queue[tuple[str, int] | None]) -> None:
    while (text := await inp.get()) is not None:
        name, body = text.split(": ", 1)
        words = len(body.split())
        await out.put((name, words))
    await out.put(None)


async def store(inp: asyncio.Queue[tuple[str, int] | None], db: dict[str, int]) -> None:
    while (item := await inp.get()) is not None:
        name, words = item
        db[name] = words


async def main() -> None:
    if sys.version_info < (3, 11):
        raise SystemExit("asyncio.TaskGroup needs Python 3.11 or newer")
    raw: asyncio.Queue[str | None] = asyncio.Queue(maxsize=2)
    parsed: asyncio.Queue[tuple[str, int] | None] = asyncio.Queue(maxsize=2)
    db: dict[str, int] = {}
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch(raw), name="fetch")
        tg.create_task(parse(raw, parsed), name="parse")
        tg.create_task(store(parsed, db), name="store")
    print(f"stored {len(db)} documents, {sum(db.values())} words")


if __name__ == "__main__":
    asyncio.run(main())
