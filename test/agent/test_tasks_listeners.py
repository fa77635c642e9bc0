"""The tracker's done/cancel listeners: called where their docstrings say, and removable."""

import asyncio
import sys
import unittest

from asyncio_debugger import tasks
from asyncio_debugger.tasks import hooks


class TestListeners(unittest.TestCase):
    def setUp(self):
        self.tracker = tasks.start(tasks.ChunkStore())
        self.addCleanup(self.tracker.stop)
        self.done = []
        self.cancels = []
        hooks.add_done_listener(self.on_done)
        hooks.add_cancel_listener(self.on_cancel)
        self.addCleanup(hooks.remove_done_listener, self.on_done)
        self.addCleanup(hooks.remove_cancel_listener, self.on_cancel)

    def on_done(self, task):
        # The frame two up is the one that ran the finishing step.
        self.done.append((task.get_name(), sys._getframe(2).f_code.co_name))

    def on_cancel(self, fut, frame, call_soon_frame):
        task = call_soon_frame.f_locals["callback"].__self__
        self.cancels.append((task.get_name(), frame.f_code.co_name, fut.cancelled()))

    def test_done_after_the_finishing_step_and_cancel_at_the_caller(self):
        async def sleeper():
            await asyncio.sleep(10)

        async def quick():
            return 1

        async def main():
            t = asyncio.create_task(sleeper(), name="sleeper")
            await asyncio.create_task(quick(), name="quick")
            t.cancel()  # the site the cancel listener sees
            with self.assertRaises(asyncio.CancelledError):
                await t

        asyncio.run(main())
        self.assertIn(("quick", "_run"), self.done)
        self.assertIn(("sleeper", "_run"), self.done)
        self.assertEqual(self.cancels, [("sleeper", "main", True)])

    def test_removed_listeners_are_not_called(self):
        hooks.remove_done_listener(self.on_done)
        hooks.remove_cancel_listener(self.on_cancel)
        self.assertEqual((hooks._done_listeners, hooks._cancel_listeners), ((), ()))

        async def main():
            t = asyncio.create_task(asyncio.sleep(10))
            await asyncio.sleep(0)
            t.cancel()
            await asyncio.gather(t, return_exceptions=True)

        asyncio.run(main())
        self.assertEqual((self.done, self.cancels), ([], []))

    def test_adding_twice_registers_once(self):
        hooks.add_done_listener(self.on_done)
        self.assertEqual(hooks._done_listeners.count(self.on_done), 1)


if __name__ == "__main__":
    unittest.main()
