"""Two producers and three consumers sharing a bounded asyncio.Queue.

Step over (F10) an `await queue.put(...)` to stay in the same task, and watch `queue` in the
Variables view fill up and drain.
"""

import asyncio
import itertools

ITEMS_PER_PRODUCER = 5


async def producer(name: str, queue: asyncio.Queue[int], counter: itertools.count) -> None:
    for _ in range(ITEMS_PER_PRODUCER):
        item = next(counter)
        await queue.put(item)
        await asyncio.sleep(0.01)
    print(f"{name} done")


async def consumer(name: str, queue: asyncio.Queue[int], seen: list[int]) -> None:
    while True:
        item = await queue.get()
        seen.append(item * item)
        queue.task_done()


async def main() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=3)
    counter = itertools.count(1)
    seen: list[int] = []
    consumers = [asyncio.create_task(consumer(f"consumer-{n}", queue, seen), name=f"consumer-{n}") for n in range(3)]
    await asyncio.gather(*(producer(f"producer-{n}", queue, counter) for n in range(2)))
    await queue.join()
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    print(f"consumed {len(seen)} items, sum of squares {sum(seen)}")


if __name__ == "__main__":
    asyncio.run(main())
