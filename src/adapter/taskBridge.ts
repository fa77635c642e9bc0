/**
 * Between the agent's task tracking and the DAP client: feeds the TaskModel from `tasks` events,
 * throttles `asyncio/tasksChanged` to at most 10 per second (and sends one at once on every stop),
 * and answers the custom task requests of dapCustom.ts.
 */
import { Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentRecordsBody, AgentTasksBody } from '../shared/agentProtocol';
import {
  CancelTaskArguments,
  CustomEvents,
  FocusTaskArguments,
  CustomRequests,
  DEFAULT_TASKS_LIMIT,
  TaskStacksArguments,
  TaskStacksResponseBody,
  TasksArguments,
  TimelineArguments,
} from '../shared/dapCustom';
import type { AgentConnection } from './agentConnection';
import { TaskFocus, taskStopped } from './taskFocus';
import { TaskFold } from './taskFold';
import { TaskModel } from './taskModel';

export const TASKS_CHANGED_INTERVAL_MS = 100;

const HANDLED: ReadonlySet<string> = new Set([
  CustomRequests.Tasks,
  CustomRequests.Timeline,
  CustomRequests.CancelTask,
  CustomRequests.TaskStacks,
  CustomRequests.FocusTask,
]);

export class TaskBridge {
  readonly model: TaskModel;
  /** The agent's raw records folded into the model's deltas (the agent does not fold). */
  private readonly fold = new TaskFold();
  private readonly focus: TaskFocus;
  private timer: NodeJS.Timeout | undefined;
  private lastEmit = 0;

  /**
   * Send a `stopped` (and later a `continued`) per task thread: clients such as VS Code show only
   * the stacks of threads they saw stop. Off for others, whose "next stopped event" must be the
   * program's.
   */
  taskThreadEvents = false;

  /** The last stop with task threads, to be focused once more when the client's views are up. */
  private refocus: DebugProtocol.StoppedEvent['body'] | undefined;
  /** The client asked for scopes: its views exist from then on, and keep the focus right. */
  private viewsUp = false;
  /** Task threads whose stop a client without task thread events was told of (by a focus). */
  private readonly focusedThreads = new Set<number>();

  constructor(
    private readonly send: (event: DebugProtocol.Event) => void,
    maxFinishedTasks?: number,
  ) {
    this.model = new TaskModel(maxFinishedTasks);
    this.focus = new TaskFocus(this.model, (threadId) => this.focusTaskThread(threadId));
  }

  onAgentRecords(body: AgentRecordsBody): void {
    this.onAgentTasks(this.fold.apply(body));
  }

  /** The id() the agent knows a pending task by (its requests about tasks take it). */
  rawOf(taskId: number): number | undefined {
    return this.fold.rawOf(taskId);
  }

  /** The agent lists a stopped loop's task threads in its own order: the running task, then by age. */
  orderThreads(body: DebugProtocol.ThreadsResponse['body']): DebugProtocol.ThreadsResponse['body'] {
    const listed = this.model.listedThreads();
    const rank = (thread: DebugProtocol.Thread): number => {
      const task = listed.get(thread.id);
      return task === undefined ? 0 : task.activity === 'running' ? 0.5 : task.id;
    };
    const os = body.threads.filter((t) => !listed.has(t.id));
    const tasks = body.threads.filter((t) => listed.has(t.id)).sort((a, b) => rank(a) - rank(b));
    return { threads: [...os, ...tasks] };
  }

  onAgentTasks(body: AgentTasksBody): void {
    this.model.apply(body);
    // A `tasks` event with `paused` precedes a `stopped`: the stop sends the event at once.
    if (!body.paused) {
      this.schedule();
    }
  }

  /** The agent's `stopped`: the exact task state first, then the DAP stop (and the task threads'). */
  forwardStopped(body: DebugProtocol.StoppedEvent['body']): void {
    const threadId = body.threadId ?? 1;
    this.model.stoppedOn(threadId);
    this.flush(true);
    // A pending `asyncio/focusTask` gives the focus to its task's thread instead.
    const focusedTask = this.focus.onStopped(threadId);
    const stop = focusedTask === undefined ? body : { ...body, preserveFocusHint: true };
    this.send(new Event('stopped', stop));
    if (this.taskThreadEvents) {
      const taskThreads = this.model.taskThreadsOf(threadId);
      this.refocus = taskThreads.length > 0 && !this.viewsUp ? body : undefined;
      for (const taskThread of taskThreads) {
        if (taskThread !== focusedTask) {
          this.send(new Event('stopped', taskStopped(taskThread, false)));
        }
      }
    }
    if (focusedTask !== undefined) {
      this.focusTaskThread(focusedTask);
    }
  }

  /**
   * Makes the client focus a task thread. VS Code keeps a thread's previous stack and refreshes its
   * Call Stack rows only when the new stack differs from it; a parked task's stack is the same on
   * a later stop, so its rows would keep the old frames and the focused frame could not be
   * selected. For VS Code the thread "exits" first: it is forgotten, listed again, loaded afresh.
   */
  private focusTaskThread(threadId: number): void {
    this.refocus = undefined;
    if (this.taskThreadEvents) {
      this.send(new Event('thread', { reason: 'exited', threadId }));
    } else {
      this.focusedThreads.add(threadId);
    }
    this.send(new Event('stopped', taskStopped(threadId, true)));
  }

  /**
   * The client asks for a frame's scopes: its Variables view is up, and with it the Call Stack.
   * VS Code expands the focused thread in the Call Stack only when the focus changes while that view
   * exists; when the stop itself opens the Run and Debug view (`debug.openDebug`), the focus came
   * first and the paused thread stays collapsed among the task threads. The stop is sent once more
   * (once a session: the views stay once made).
   */
  onScopes(): void {
    this.viewsUp = true;
    const body = this.refocus;
    this.refocus = undefined;
    if (body) {
      this.send(new Event('stopped', body));
    }
  }

  /** A thread (or a task thread, meaning its OS thread) resumes. */
  onResumed(threadId: number): void {
    this.refocus = undefined;
    const taskThreads = this.model.taskThreadsOf(this.model.osThreadOf(threadId));
    this.model.resume(threadId);
    this.schedule();
    // Clients told of a task thread's stop hear it continue: all of them for VS Code, else the focused ones.
    for (const taskThread of taskThreads) {
      if (this.taskThreadEvents || this.focusedThreads.delete(taskThread)) {
        this.send(new Event('continued', { threadId: taskThread, allThreadsContinued: false }));
      }
    }
  }

  /** The program ended: nothing is stopped any more, and the model stays for post-mortem queries. */
  onEnded(): void {
    this.focus.onEnded();
    this.model.resumeAll();
    this.flush(false);
  }

  handles(command: string): boolean {
    return HANDLED.has(command);
  }

  async request(command: string, args: unknown, agent: AgentConnection | undefined): Promise<unknown> {
    switch (command) {
      case CustomRequests.Tasks: {
        const a = (args as TasksArguments | undefined) ?? {};
        return this.model.tasksBody(a.includeFinished !== false, a.limit ?? DEFAULT_TASKS_LIMIT);
      }
      case CustomRequests.Timeline:
        return this.model.timeline((args as TimelineArguments | undefined) ?? {});
      case CustomRequests.CancelTask: {
        const { taskId, message } = args as CancelTaskArguments;
        if (!agent || agent.isClosed) {
          throw new Error('The program has ended.');
        }
        const raw = this.pendingRaw(taskId);
        return agent.request('cancelTask', message === undefined ? { taskId, raw } : { taskId, raw, message });
      }
      case CustomRequests.TaskStacks:
        return this.stacks(args as TaskStacksArguments, agent);
      case CustomRequests.FocusTask:
        return this.focus.request(args as FocusTaskArguments, agent);
      default:
        throw new Error(`Unknown request ${command}.`);
    }
  }

  private async stacks(args: TaskStacksArguments, agent: AgentConnection | undefined): Promise<TaskStacksResponseBody> {
    const task = this.model.task(args.taskId);
    if (!task) {
      throw new Error(`Unknown task ${args.taskId}.`);
    }
    // The creation site is the model's; the await chain of a pending task is the agent's.
    const creation = task.site ? [task.site] : [];
    const raw = task.state === 'pending' ? this.fold.rawOf(args.taskId) : undefined;
    if (agent && !agent.isClosed && raw !== undefined) {
      const { awaiting } = await agent.request('taskStacks', { taskId: args.taskId, raw });
      return { creation, awaiting };
    }
    // A finished task (or an ended program) has no await chain.
    return { creation, awaiting: [] };
  }

  private pendingRaw(taskId: number): number {
    const raw = this.fold.rawOf(taskId);
    if (raw === undefined) {
      throw new Error(`Task ${taskId} is not pending (it finished, or is unknown).`);
    }
    return raw;
  }

  dispose(): void {
    this.focus.dispose();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) {
      return;
    }
    const wait = Math.max(0, this.lastEmit + TASKS_CHANGED_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush(false);
    }, wait);
  }

  private flush(force: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const body = this.model.takeChanges(force);
    if (body) {
      this.lastEmit = Date.now();
      this.send(new Event(CustomEvents.TasksChanged, body));
    }
  }
}
