/**
 * The adapter's end of the agent protocol [A]: a loopback-only connect-back server that accepts
 * exactly one authenticated agent, then request/response correlation and typed events.
 * Knows nothing of DAP sessions; see docs/protocol.md.
 */
import { EventEmitter } from 'events';
import * as crypto from 'crypto';
import * as net from 'net';
import {
  AgentCommand,
  AgentEvent,
  AgentEventName,
  AgentRequests,
  AgentResponse,
  HelloBody,
  PROTOCOL_VERSION,
} from '../shared/agentProtocol';
import { encodeMessage, LineSplitter } from './ndjson';

/** How long a connection may take to present its `hello` before it is dropped. */
export const HELLO_TIMEOUT_MS = 10_000;

export type AgentEventBody<E extends AgentEventName> = Extract<AgentEvent, { event: E }>['body'];

export class AgentRequestError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  command: string;
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
}

/** One authenticated agent connection. Emits agent events by name and `close` once. */
export class AgentConnection {
  private readonly events = new EventEmitter();
  private readonly pending = new Map<number, Pending>();
  private seq = 1;
  private closed = false;
  /** Receives every message both ways, for the DAP trace file. */
  trace: ((direction: 'to agent' | 'from agent', message: unknown) => void) | undefined;

  constructor(
    private readonly socket: net.Socket,
    readonly hello: HelloBody,
  ) {
    socket.on('close', () => this.handleClose());
    socket.on('error', () => socket.destroy());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  request<C extends AgentCommand>(command: C, args: AgentRequests[C][0]): Promise<AgentRequests[C][1]> {
    if (this.closed) {
      return Promise.reject(new AgentRequestError(command, 'The debugger agent is not connected.'));
    }
    const seq = this.seq++;
    const message = { type: 'request', seq, command, arguments: args };
    this.trace?.('to agent', message);
    return new Promise<AgentRequests[C][1]>((resolve, reject) => {
      this.pending.set(seq, { command, resolve: resolve as (body: unknown) => void, reject });
      this.socket.write(encodeMessage(message));
    });
  }

  on<E extends AgentEventName>(event: E, listener: (body: AgentEventBody<E>) => void): this {
    this.events.on(event, listener);
    return this;
  }

  onClose(listener: () => void): this {
    this.events.on('close', listener);
    return this;
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  /** Called with every message after the hello. */
  handleMessage(message: unknown): void {
    this.trace?.('from agent', message);
    if (!isObject(message)) {
      return;
    }
    if (message.type === 'response') {
      const response = message as unknown as AgentResponse;
      const pending = this.pending.get(response.request_seq);
      if (!pending) {
        return;
      }
      this.pending.delete(response.request_seq);
      if (response.success) {
        pending.resolve(response.body ?? {});
      } else {
        pending.reject(new AgentRequestError(pending.command, response.message || `${pending.command} failed`));
      }
    } else if (message.type === 'event' && typeof message.event === 'string') {
      this.events.emit(message.event, message.body ?? {});
    }
  }

  private handleClose(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const [, pending] of this.pending) {
      pending.reject(new AgentRequestError(pending.command, 'The debugger agent disconnected.'));
    }
    this.pending.clear();
    this.events.emit('close');
  }
}

/**
 * Listens on 127.0.0.1:0 for the agent to connect back. Connections that do not open with a
 * `hello` carrying the token are dropped; the first good one is kept and the server stops listening.
 */
export class AgentServer {
  readonly token = crypto.randomBytes(16).toString('hex');
  private readonly server = net.createServer((socket) => this.accept(socket));
  private connection: Promise<AgentConnection>;
  private resolveConnection!: (connection: AgentConnection) => void;
  private accepted = false;
  /** Why the last connection was refused, for the message shown if no agent ever gets in. */
  rejection: string | undefined;

  private constructor() {
    this.connection = new Promise((resolve) => (this.resolveConnection = resolve));
  }

  static async listen(): Promise<AgentServer> {
    const agentServer = new AgentServer();
    await new Promise<void>((resolve, reject) => {
      agentServer.server.once('error', reject);
      // Loopback only: the token protects the port from other local users, nothing protects it from the network.
      agentServer.server.listen(0, '127.0.0.1', () => {
        agentServer.port = (agentServer.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
    return agentServer;
  }

  /** The listening port (still known after the server stopped listening). */
  port = 0;

  /** Resolves with the first authenticated agent; never rejects (callers race it against timeouts). */
  waitForAgent(): Promise<AgentConnection> {
    return this.connection;
  }

  close(): void {
    this.server.close();
  }

  private accept(socket: net.Socket): void {
    if (this.accepted) {
      socket.destroy();
      return;
    }
    let connection: AgentConnection | undefined;
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    socket.on('close', () => clearTimeout(timer));
    socket.on('error', () => socket.destroy());
    const splitter = new LineSplitter((line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        if (!connection) {
          socket.destroy();
        }
        return;
      }
      if (connection) {
        connection.handleMessage(message);
        return;
      }
      const hello = this.checkHello(message);
      if (!hello || this.accepted) {
        socket.destroy();
        return;
      }
      clearTimeout(timer);
      this.accepted = true;
      this.server.close();
      connection = new AgentConnection(socket, hello);
      this.resolveConnection(connection);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!socket.destroyed) {
        splitter.push(chunk);
      }
    });
  }

  private checkHello(message: unknown): HelloBody | undefined {
    if (!isObject(message) || message.type !== 'event' || message.event !== 'hello' || !isObject(message.body)) {
      return undefined;
    }
    const body = message.body as unknown as HelloBody;
    if (typeof body.token !== 'string' || !tokensEqual(body.token, this.token)) {
      return undefined;
    }
    if (body.protocol !== PROTOCOL_VERSION) {
      this.rejection = `the agent speaks protocol ${String(body.protocol)}, the adapter ${PROTOCOL_VERSION}`;
      return undefined;
    }
    return body;
  }
}

function tokensEqual(given: string, expected: string): boolean {
  // Hash both sides so timingSafeEqual sees equal lengths and the length itself leaks nothing.
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
