/**
 * Show Await Stack for a task that is a thread while paused: the adapter (`asyncio/focusTask`)
 * makes VS Code focus that thread, which selects it in the Call Stack and opens its top frame; this
 * waits until VS Code did.
 */
import * as vscode from 'vscode';
import { CustomRequests, FocusTaskArguments } from '../shared/dapCustom';

type Outcome = 'focused' | 'lost' | 'timeout';

function isOf(item: unknown, session: vscode.DebugSession, threadId: number): boolean {
  return (
    (item instanceof vscode.DebugStackFrame || item instanceof vscode.DebugThread) &&
    item.session.id === session.id &&
    item.threadId === threadId
  );
}

/**
 * Watches VS Code's focus: `focused` once a frame of `threadId` has it, `lost` when, after the
 * thread had it, another thread's frame takes it, `timeout` when neither happens in `ms`.
 */
function watchFocus(session: vscode.DebugSession, threadId: number, ms: number) {
  let settle: (outcome: Outcome) => void = () => undefined;
  const outcome = new Promise<Outcome>((resolve) => {
    let ours = false;
    const timer = setTimeout(() => settle('timeout'), ms);
    const listener = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (isOf(item, session, threadId)) {
        if (item instanceof vscode.DebugStackFrame) settle('focused');
        ours = true;
      } else if (ours && item instanceof vscode.DebugStackFrame) {
        settle('lost');
      }
    });
    settle = (value) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    };
  });
  return { outcome, dispose: () => settle('timeout') };
}

/** Focuses the thread of a paused task in VS Code; throws the adapter's message when it cannot. */
export async function focusTaskThread(session: vscode.DebugSession, taskId: number, threadId: number): Promise<void> {
  // VS Code may still be handling a stop of the paused thread that the adapter repeats when the Run
  // and Debug views first show (opening the Call Stack can cause it): that stop focuses its thread
  // at most twice (its top frame, then its whole stack), and may take the focus back from the task
  // each time. Asking again after that lands.
  for (let attempt = 1; ; attempt++) {
    const watch = watchFocus(session, threadId, 5_000);
    try {
      const args: FocusTaskArguments = { taskId };
      await session.customRequest(CustomRequests.FocusTask, args);
    } catch (e) {
      watch.dispose();
      throw e;
    }
    if ((await watch.outcome) !== 'lost' || attempt === 3) return;
  }
}
