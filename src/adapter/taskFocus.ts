/**
 * `asyncio/focusTask`: makes the client focus a task's thread. VS Code has no API that selects a
 * thread in the Call Stack, but it focuses (expands, selects, opens the top frame of) the thread a
 * `stopped` event names when the event has no `preserveFocusHint`. While the program runs,
 * `pause: true` pauses the thread of the task's loop first; that stop then gives the focus to the
 * task instead of the paused thread.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { FocusTaskArguments, FocusTaskResponseBody, TaskInfo } from '../shared/dapCustom';
import type { AgentConnection } from './agentConnection';
import type { TaskModel } from './taskModel';

/** How long a pause may take before the request gives up (a thread blocked in C pauses late). */
export const FOCUS_PAUSE_TIMEOUT_MS = 10_000;

type StoppedBody = DebugProtocol.StoppedEvent['body'];

/** The `stopped` body of a task thread; `focus` lets the client move its focus there. */
export function taskStopped(threadId: number, focus: boolean): StoppedBody {
  return {
    reason: 'task',
    description: 'Suspended task',
    threadId,
    preserveFocusHint: !focus,
    allThreadsStopped: false,
  };
}

interface PendingFocus {
  taskId: number;
  resolve(body: FocusTaskResponseBody): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class TaskFocus {
  private pending: PendingFocus | undefined;
  /** Task records name OS threads by trace-local ids; stops teach us their DAP thread ids. */
  private readonly dapThreadOf = new Map<number, number>();

  constructor(
    private readonly model: TaskModel,
    /** Sends what makes the client focus a task thread (a `stopped` event naming it). */
    private readonly focusThread: (threadId: number) => void,
  ) {}

  async request(args: FocusTaskArguments, agent: AgentConnection | undefined): Promise<FocusTaskResponseBody> {
    if (typeof args?.taskId !== 'number') {
      throw new Error('asyncio/focusTask needs a numeric taskId.');
    }
    const task = this.model.task(args.taskId);
    if (!task) {
      throw new Error(`Unknown task ${args.taskId}.`);
    }
    if (task.state !== 'pending') {
      throw new Error(`Task ${task.name} has finished (${task.state}); only pending tasks have a thread.`);
    }
    if (!agent || agent.isClosed) {
      throw new Error('The program has ended.');
    }
    if (task.threadId !== null) {
      this.focusThread(task.threadId);
      return { threadId: task.threadId };
    }
    const osThread = this.dapThreadOf.get(task.thread) ?? 1;
    if (this.model.taskThreadsOf(osThread).length > 0) {
      throw new Error(
        `Task ${task.name} is not listed as a thread: more tasks are pending than maxTaskThreads allows.`,
      );
    }
    if (!args.pause) {
      throw new Error(
        `Task ${task.name} runs on a thread that is not paused: pause it to see the task in the Call Stack.`,
      );
    }
    if (this.pending) {
      throw new Error(`Already pausing to show task ${this.model.task(this.pending.taskId)?.name ?? ''}.`);
    }
    const focused = new Promise<FocusTaskResponseBody>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error(`The program did not pause within ${FOCUS_PAUSE_TIMEOUT_MS / 1000} s.`));
      }, FOCUS_PAUSE_TIMEOUT_MS);
      this.pending = { taskId: task.id, resolve, reject, timer };
    });
    try {
      await agent.request('pause', { threadId: osThread });
    } catch (error) {
      this.settle()?.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return focused;
  }

  /**
   * A thread stopped (the model already holds its tasks): the task thread that takes the focus
   * instead of `osThread`, when a focus request waits for this stop.
   */
  onStopped(osThread: number): number | undefined {
    const listed = this.model.listedThreads();
    for (const threadId of this.model.taskThreadsOf(osThread)) {
      const task = this.model.task(listed.get(threadId)?.id ?? 0);
      if (task) {
        this.dapThreadOf.set(task.thread, osThread);
      }
    }
    const pending = this.settle();
    if (!pending) {
      return undefined;
    }
    const task: TaskInfo | undefined = this.model.task(pending.taskId);
    if (task && task.threadId !== null && this.model.osThreadOf(task.threadId) === osThread) {
      pending.resolve({ threadId: task.threadId });
      return task.threadId;
    }
    const name = task ? `Task ${task.name}` : `Task ${pending.taskId}`;
    const why = task && task.state !== 'pending' ? `it finished (${task.state})` : 'it is not among its threads';
    pending.reject(new Error(`The program paused, but ${name} cannot be shown: ${why}.`));
    return undefined;
  }

  onEnded(): void {
    this.settle()?.reject(new Error('The program ended before it paused.'));
  }

  dispose(): void {
    this.settle()?.reject(new Error('The debug session ended.'));
  }

  private settle(): PendingFocus | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
    }
    return pending;
  }
}
