/**
 * Breakpoints on future/task completion: the `asyncio/breakWhenDone` custom request (Break When
 * Done in the Asyncio Tasks view) and DAP data breakpoints on a variable holding a Future or Task.
 * The agent arms them and stops with reason `data breakpoint` where the future completed.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BreakWhenDoneArguments, CustomRequests } from '../shared/dapCustom';
import type { AgentConnection } from './agentConnection';

/** Capabilities this part adds to the adapter's `initialize` response. */
export const COMPLETION_CAPABILITIES: DebugProtocol.Capabilities = { supportsDataBreakpoints: true };

export function isCompletionRequest(command: string): boolean {
  return command === CustomRequests.BreakWhenDone;
}

export async function completionRequest(
  command: string,
  args: unknown,
  agent: AgentConnection | undefined,
  rawOf: (taskId: number) => number | undefined,
): Promise<unknown> {
  if (!agent || agent.isClosed) {
    throw new Error('The program has ended.');
  }
  if (command !== CustomRequests.BreakWhenDone) {
    throw new Error(`Unknown request ${command}.`);
  }
  const { taskId } = args as BreakWhenDoneArguments;
  if (!Number.isInteger(taskId)) {
    throw new Error('asyncio/breakWhenDone needs an integer taskId.');
  }
  const raw = rawOf(taskId);
  if (raw === undefined) {
    throw new Error(`Task ${taskId} is not pending (it finished, or is unknown).`);
  }
  return agent.request('breakOnCompletion', { taskId, raw });
}
