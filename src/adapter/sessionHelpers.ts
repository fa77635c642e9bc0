/**
 * Helpers for session.ts that are not DAP request overrides: routing of the adapter's custom
 * `asyncio/*` requests to the part that owns them, and small promise/text utilities.
 */
import type { AgentConnection } from './agentConnection';
import { completionRequest, isCompletionRequest } from './completionBreakpoints';
import type { TaskBridge } from './taskBridge';

/** The answer to a custom request, or undefined when no part of the adapter knows the command. */
export function routeCustomRequest(
  command: string,
  args: unknown,
  tasks: TaskBridge,
  agent: AgentConnection | undefined,
): Promise<unknown> | undefined {
  if (tasks.handles(command)) {
    return tasks.request(command, args, agent);
  }
  if (isCompletionRequest(command)) {
    return completionRequest(command, args, agent, (taskId) => tasks.rawOf(taskId));
  }
  return undefined;
}

export function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/** The promise's value, or undefined when it fails or takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
