/**
 * Helpers for session.ts that are not DAP request overrides: routing of the adapter's custom
 * `asyncio/*` requests to the part that owns them, and small promise/text utilities.
 */
import type { AgentConnection } from './agentConnection';
import { completionRequest, isCompletionRequest } from './completionBreakpoints';
import type { TaskBridge } from './taskBridge';

/** Agent events that are DAP events with the same name and body (`stopped` also updates the tasks). */
export const FORWARDED_EVENTS = ['breakpoint', 'thread'] as const;

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

/**
 * An agent message for the trace log. A `records` event carries megabytes of base64 many times a
 * second: its data is named by size, and any message is cut after `limit` characters.
 */
export function traceText(message: unknown, limit = 4000): string {
  const m = message as { event?: string; body?: { data?: unknown } } | undefined;
  const data = m?.event === 'records' ? m.body?.data : undefined;
  const shown =
    typeof data === 'string' ? { ...m, body: { ...m?.body, data: `<${data.length} base64 characters>` } } : message;
  const text = JSON.stringify(shown) ?? String(shown);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
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
