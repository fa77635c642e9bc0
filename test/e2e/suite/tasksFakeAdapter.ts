/**
 * A DAP server on 127.0.0.1 that plays the adapter's side of the task contract (src/shared/dapCustom.ts)
 * with tasks the test chooses: sessions started with `"debugServer": port` talk to it. It lets the
 * extension-host tests drive the "Asyncio Tasks" view through exact deltas, seq gaps and errors,
 * which a real program cannot produce on demand.
 */
import * as net from 'net';
import { DebugSession, Event, InitializedEvent, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TaskInfo } from '../../../src/shared/dapCustom';
import { S, delta, snapshot as tasksAnswer, task } from '../../unit/tasksFixture';

export interface RequestLog {
  command: string;
  args: unknown;
}

class FakeSession extends DebugSession {
  constructor(private readonly owner: FakeTaskAdapter) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { supportsConfigurationDoneRequest: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse): void {
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(1, 'MainThread')] };
    this.sendResponse(response);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.owner.requests.push({ command, args });
    const answer = this.owner.answers.get(command);
    if (!answer) {
      this.sendErrorResponse(response, 1014, `unrecognised request '${command}'`);
      return;
    }
    try {
      response.body = answer(args);
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, 1015, (e as Error).message);
    }
  }

  sendCustom(event: string, body: unknown): void {
    this.sendEvent(new Event(event, body));
  }

  pauseAt(): void {
    this.sendEvent(new StoppedEvent('breakpoint', 1));
  }

  finish(): void {
    this.sendEvent(new TerminatedEvent());
  }
}

export class FakeTaskAdapter {
  readonly requests: RequestLog[] = [];
  /** Answers to custom requests by command; a missing one answers with an error. */
  readonly answers = new Map<string, (args: unknown) => unknown>();
  private server: net.Server | undefined;
  private session: FakeSession | undefined;
  private connected: (() => void) | undefined;
  /** Resolves when VS Code has connected. */
  readonly ready = new Promise<void>((resolve) => (this.connected = resolve));

  /** Starts listening; resolves with the port for the launch configuration's `debugServer`. */
  async listen(): Promise<number> {
    this.server = net.createServer((socket) => {
      const session = new FakeSession(this);
      session.setRunAsServer(true);
      session.start(socket, socket);
      this.session = session;
      this.connected?.();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Answers `asyncio/tasks` with these tasks from now on. */
  snapshot(seq: number, tasks: TaskInfo[], now = 10 * S): void {
    const body = tasksAnswer(seq, tasks, now);
    this.answers.set('asyncio/tasks', () => body);
  }

  sendTasks(seq: number, tasks: TaskInfo[], removed: number[] = [], now = 10 * S): void {
    this.session?.sendCustom('asyncio/tasksChanged', delta(seq, tasks, removed, now));
  }

  stop(): void {
    this.session?.pauseAt();
  }

  end(): void {
    this.session?.finish();
  }

  close(): void {
    this.server?.close();
  }
}

/** A task record without a creation site unless given: the view's site actions open only real files. */
export function fakeTask(id: number, fields: Partial<TaskInfo> = {}): TaskInfo {
  return task(id, { site: null, ...fields });
}
