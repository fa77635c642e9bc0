"""completion_chain: which task resumes when a future completes, through gather, asyncio.wait,
wait_for and shield, in both directions (before completion: forward; after: backward)."""

import asyncio
import sys
import unittest

from asyncio_debugger.debugger.completion_awaiter import _awaiter
from asyncio_debugger.debugger.completion_chain import task_resumed_by, waiting_tasks


def run(coro):
    return asyncio.run(coro)


class TestChain(unittest.TestCase):
    def check(self, wrap, finish=lambda f: f.set_result(1), expect_now=True, via=None, siblings=0):
        """`wrap(fut, others)` awaits `fut` (and `others`) some way in a waiting task."""
        out = {}

        async def main():
            loop = asyncio.get_running_loop()
            fut = loop.create_future()
            others = [loop.create_future() for _ in range(siblings)]
            waiter = asyncio.create_task(_await(wrap(fut, others)), name="waiter")
            for _ in range(5):
                await asyncio.sleep(0)
            out["forward"] = task_resumed_by(fut)
            finish(fut)
            out["backward"] = [(t.get_name(), v, now) for t, v, now in waiting_tasks(fut)]
            for other in others:
                other.set_result(0)
            await asyncio.wait_for(asyncio.gather(waiter, return_exceptions=True), 5)
            out["waiter"] = waiter

        run(main())
        self.assertIs(out["forward"], out["waiter"])
        self.assertEqual(out["backward"], [("waiter", via, expect_now)])

    def test_direct(self):
        self.check(lambda fut, _: fut, via="")

    def test_gather_last_child(self):
        self.check(lambda fut, _: asyncio.gather(fut), via="the gather")

    def test_gather_with_a_pending_sibling(self):
        self.check(lambda fut, o: asyncio.gather(fut, *o), via="the gather", expect_now=False, siblings=1)

    def test_gather_failing_child_completes_it_unless_exceptions_are_returned(self):
        fail = lambda f: f.set_exception(KeyError("k"))  # noqa: E731
        self.check(lambda fut, o: asyncio.gather(fut, *o), fail, via="the gather", siblings=1)
        self.check(
            lambda fut, o: asyncio.gather(fut, *o, return_exceptions=True),
            fail,
            via="the gather",
            expect_now=False,
            siblings=1,
        )

    def test_nested_gather(self):
        self.check(lambda fut, _: asyncio.gather(asyncio.gather(fut)), via="the gather")

    def test_wait(self):
        first = asyncio.FIRST_COMPLETED
        self.check(lambda fut, o: asyncio.wait({fut, *o}, return_when=first), via="asyncio.wait", siblings=1)
        self.check(lambda fut, o: asyncio.wait({fut, *o}), via="asyncio.wait", expect_now=False, siblings=1)

    def test_wait_for(self):
        # 3.12+ wait_for awaits the future itself (asyncio.timeout).
        via = "" if sys.version_info >= (3, 12) else "asyncio.wait_for"
        self.check(lambda fut, _: asyncio.wait_for(fut, 5), via=via)

    @unittest.skipUnless(hasattr(asyncio, "TaskGroup"), "TaskGroup is 3.11+")
    def test_task_group(self):
        async def grouped(fut, others):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(_await(fut), name="member")
                for other in others:
                    tg.create_task(_await(other))

        for siblings, now in ((0, True), (1, False)):
            out = {}

            async def main():
                loop = asyncio.get_running_loop()
                fut = loop.create_future()
                others = [loop.create_future() for _ in range(siblings)]
                waiter = asyncio.create_task(grouped(fut, others), name="waiter")
                for _ in range(5):
                    await asyncio.sleep(0)
                member = [t for t in asyncio.all_tasks() if t.get_name() == "member"][0]
                out["forward"] = task_resumed_by(member)
                fut.set_result(1)
                await asyncio.sleep(0)  # the member finishes; its done callbacks are scheduled
                out["backward"] = [(t.get_name(), v, n) for t, v, n in waiting_tasks(member)]
                for other in others:
                    other.set_result(0)
                await waiter
                out["waiter"] = waiter

            run(main())
            self.assertIs(out["forward"], out["waiter"])
            self.assertEqual(out["backward"], [("waiter", "the task group", now)])

    def test_shield(self):
        self.check(lambda fut, _: asyncio.shield(fut), via="shield")

    def test_as_completed(self):
        async def first_of(fut, others):
            for next_done in asyncio.as_completed([fut, *others]):
                return await next_done

        self.check(first_of, via="asyncio.as_completed")
        self.check(first_of, via="asyncio.as_completed", siblings=2)

    @unittest.skipUnless(sys.version_info >= (3, 13), "as_completed is an async iterator from 3.13 on")
    def test_as_completed_async_for(self):
        async def first_of(fut, others):
            async for done in asyncio.as_completed([fut, *others]):
                return await done

        self.check(first_of, via="asyncio.as_completed", siblings=1)

    def test_as_completed_held_in_a_local(self):
        async def first_of(fut, others):
            iterator = asyncio.as_completed([fut, *others])
            return await next(iter(iterator))

        self.check(first_of, via="asyncio.as_completed", siblings=1)

    def test_as_completed_takes_an_earlier_future_first(self):
        out = {}

        async def main():
            loop = asyncio.get_running_loop()
            first, fut = loop.create_future(), loop.create_future()

            async def consume():
                for next_done in asyncio.as_completed([first, fut]):
                    return await next_done

            waiter = asyncio.create_task(consume(), name="waiter")
            for _ in range(5):
                await asyncio.sleep(0)
            first.set_result(0)  # its done callback runs before fut's: the waiter takes `first`
            fut.set_result(1)
            out["backward"] = [(t.get_name(), v, now) for t, v, now in waiting_tasks(fut)]
            out["note"] = _awaiter(fut)
            out["result"] = await waiter

        run(main())
        self.assertEqual(out["backward"], [("waiter", "asyncio.as_completed", False)])
        note = " (Task waiter takes it from asyncio.as_completed after another future: stopped where it completed)"
        self.assertEqual(out["note"], (None, note))
        self.assertEqual(out["result"], 0)

    def test_not_among_the_as_completed_futures(self):
        out = {}

        async def main():
            loop = asyncio.get_running_loop()
            fut, other = loop.create_future(), loop.create_future()

            async def consume():
                for next_done in asyncio.as_completed([other]):
                    return await next_done

            waiter = asyncio.create_task(consume(), name="waiter")
            for _ in range(5):
                await asyncio.sleep(0)
            out["forward"] = task_resumed_by(fut)
            fut.set_result(1)
            out["backward"] = waiting_tasks(fut)
            other.set_result(0)
            await waiter

        run(main())
        self.assertIsNone(out["forward"])
        self.assertEqual(out["backward"], [])


async def _await(fut):
    return await fut


if __name__ == "__main__":
    unittest.main()
