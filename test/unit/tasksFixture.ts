/** Builders for `TaskInfo` records and delta bodies, so tests state only what they are about. */
import type { TaskInfo, TasksChangedBody, TasksResponseBody } from '../../src/shared/dapCustom';
import { TaskModel } from '../../src/extension/tasksModel';

export const MS = 1_000_000;
export const S = 1_000_000_000;

export function task(id: number, fields: Partial<TaskInfo> = {}): TaskInfo {
  return {
    id,
    name: `Task-${id}`,
    coroutine: 'worker',
    site: { file: '/app/main.py', line: 10 + id, function: 'main' },
    parent: null,
    group: null,
    loop: 1,
    thread: 1,
    created: id * MS,
    ended: null,
    state: 'pending',
    activity: 'ready',
    awaits: null,
    type: null,
    error: null,
    cancelledBy: null,
    reports: [],
    eager: false,
    steps: 1,
    busy: 0,
    threadId: null,
    ...fields,
  };
}

export function delta(seq: number, tasks: TaskInfo[], removed: number[] = [], now = 10 * S): TasksChangedBody {
  return { seq, now, stopped: false, tasks, removed, dropped: { records: 0, objects: 0 } };
}

/** An `asyncio/tasks` answer: every task, nothing dropped. */
export function snapshot(seq: number, tasks: TaskInfo[], now = 10 * S, stopped = false): TasksResponseBody {
  return { seq, now, stopped, tasks, dropped: { records: 0, objects: 0 } };
}

export function modelOf(tasks: TaskInfo[], now = 10 * S): TaskModel {
  const model = new TaskModel();
  model.reset(snapshot(1, tasks, now, true));
  return model;
}

/** A pipeline: main() holding a TaskGroup of fetch/parse/store, plus `workers` idle worker() tasks. */
export function pipeline(workers = 0): TaskInfo[] {
  const out = [
    task(1, {
      name: 'Task-1',
      coroutine: 'main',
      activity: 'awaiting',
      awaits: { kind: 'taskgroup', id: 9, since: 1 * S },
    }),
    task(2, {
      name: 'fetch',
      coroutine: 'fetch',
      parent: 1,
      group: 1,
      activity: 'awaiting',
      awaits: { kind: 'sleep', id: 20, since: 9.99 * S },
    }),
    task(3, { name: 'parse', coroutine: 'parse', parent: 1, group: 1, activity: 'running' }),
    task(4, {
      name: 'store',
      coroutine: 'store',
      parent: 1,
      group: 1,
      activity: 'awaiting',
      awaits: { kind: 'queue', id: 21, since: 7.7 * S },
    }),
  ];
  for (let i = 0; i < workers; i++) {
    out.push(
      task(10 + i, {
        name: `worker-${i}`,
        parent: 1,
        activity: 'awaiting',
        awaits: { kind: 'queue', id: 22, since: 5 * S },
      }),
    );
  }
  return out;
}
