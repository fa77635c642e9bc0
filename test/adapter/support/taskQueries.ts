/** Reading the adapter's task model from a test session (`asyncio/tasks`). */
import * as assert from 'assert';
import type { TaskInfo, TasksResponseBody } from '../../../src/shared/dapCustom';
import type { TestSession } from './session';

/** Every task the adapter knows, finished ones included. */
export async function allTasks(s: TestSession): Promise<TaskInfo[]> {
  const response = await s.dc.customRequest('asyncio/tasks', { includeFinished: true });
  return (response.body as TasksResponseBody).tasks;
}

/** The one task named `name` (fails when there are none or several). */
export function named(all: TaskInfo[], name: string): TaskInfo {
  const found = all.filter((t) => t.name === name);
  assert.strictEqual(found.length, 1, `tasks named ${name} in ${all.map((t) => t.name).join(', ')}`);
  return found[0];
}
