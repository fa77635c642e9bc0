/**
 * Plays the client's side of DAP `runInTerminal` for a DebugClient (which has no reverse
 * requests): runs the command as a terminal would, in its own process group, and keeps its output.
 */
import * as cp from 'child_process';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

interface ClientInternals {
  dispatch(body: string): void;
  outputStream: NodeJS.WritableStream;
}

export class FakeTerminal {
  readonly requests: DebugProtocol.RunInTerminalRequestArguments[] = [];
  output = '';
  private children: cp.ChildProcess[] = [];
  private waiters: Array<() => void> = [];

  constructor(dc: DebugClient) {
    const client = dc as unknown as ClientInternals;
    const dispatch = client.dispatch.bind(client);
    client.dispatch = (body: string) => {
      const message = JSON.parse(body);
      if (message.type !== 'request' || message.command !== 'runInTerminal') {
        dispatch(body);
        return;
      }
      const args = message.arguments as DebugProtocol.RunInTerminalRequestArguments;
      this.requests.push(args);
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const [key, value] of Object.entries(args.env ?? {})) {
        if (value === null) {
          delete env[key];
        } else {
          env[key] = value;
        }
      }
      const child = cp.spawn(args.args[0], args.args.slice(1), { cwd: args.cwd, env, detached: true });
      this.children.push(child);
      const collect = (data: Buffer) => {
        this.output += data.toString();
        this.waiters.splice(0).forEach((waiter) => waiter());
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      const response = {
        type: 'response',
        seq: 0,
        request_seq: message.seq,
        command: 'runInTerminal',
        success: true,
        body: { shellProcessId: child.pid },
      };
      const json = JSON.stringify(response);
      client.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
    };
  }

  /** Resolves with the first match of the pattern in what the terminal showed (now or later). */
  async waitForOutput(pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) {
        return match;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  dispose(): void {
    for (const child of this.children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
