import * as assert from 'assert';
import * as net from 'net';
import { AgentServer } from '../../src/adapter/agentConnection';
import { LineSplitter } from '../../src/adapter/ndjson';
import { PROTOCOL_VERSION } from '../../src/shared/agentProtocol';

/** A stand-in agent on the other end of the socket, speaking raw NDJSON. */
class FakeAgent {
  readonly received: Array<Record<string, unknown>> = [];
  private waiters: Array<() => void> = [];
  closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    const splitter = new LineSplitter((line) => {
      this.received.push(JSON.parse(line));
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static connect(port: number): Promise<FakeAgent> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(port, '127.0.0.1', () => resolve(new FakeAgent(socket)));
      socket.on('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.write(JSON.stringify(message) + '\n');
  }

  hello(token: string): void {
    this.send({
      type: 'event',
      event: 'hello',
      body: { token, protocol: PROTOCOL_VERSION, pid: 42, python: '3.12.1', executable: 'python3', platform: 'linux' },
    });
  }

  async nextRequest(): Promise<Record<string, unknown>> {
    while (this.received.length === 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.received.shift() as Record<string, unknown>;
  }
}

describe('agent connection', () => {
  let server: AgentServer;
  beforeEach(async () => {
    server = await AgentServer.listen();
  });
  afterEach(() => server.close());

  it('listens on loopback with a 32-hex token', () => {
    assert.match(server.token, /^[0-9a-f]{32}$/);
    assert.ok(server.port > 0);
  });

  it('drops a connection with a wrong token and accepts the right one', async () => {
    const intruder = await FakeAgent.connect(server.port);
    intruder.hello('0'.repeat(32));
    await intruder.closed;
    const agent = await FakeAgent.connect(server.port);
    agent.hello(server.token);
    const connection = await server.waitForAgent();
    assert.strictEqual(connection.hello.pid, 42);
    agent.socket.destroy();
  });

  it('drops a connection whose first message is not hello', async () => {
    const agent = await FakeAgent.connect(server.port);
    agent.send({ type: 'event', event: 'output', body: { category: 'console', output: 'x' } });
    await agent.closed;
  });

  it('stops listening after the first agent', async () => {
    const agent = await FakeAgent.connect(server.port);
    try {
      agent.hello(server.token);
      await server.waitForAgent();
      await assert.rejects(FakeAgent.connect(server.port), /ECONNREFUSED/);
    } finally {
      agent.socket.destroy();
    }
  });

  it('correlates responses, rejects failures with the agent message, and emits events', async () => {
    const agent = await FakeAgent.connect(server.port);
    agent.hello(server.token);
    const connection = await server.waitForAgent();
    const outputs: string[] = [];
    connection.on('output', (body) => outputs.push(body.output));

    const threads = connection.request('threads', {});
    const evaluate = connection.request('evaluate', { expression: '1/0' });
    const first = await agent.nextRequest();
    const second = await agent.nextRequest();
    assert.strictEqual(first.command, 'threads');
    assert.strictEqual(second.command, 'evaluate');
    // Answer out of order, with an event and both responses in one chunk, the last split in two writes.
    const text =
      JSON.stringify({ type: 'event', event: 'output', body: { category: 'console', output: 'hi' } }) +
      '\n' +
      JSON.stringify({
        type: 'response',
        request_seq: second.seq,
        command: 'evaluate',
        success: false,
        message: 'ZeroDivisionError: division by zero',
      }) +
      '\n' +
      JSON.stringify({
        type: 'response',
        request_seq: first.seq,
        command: 'threads',
        success: true,
        body: { threads: [{ id: 1, name: 'MainThread' }] },
      }) +
      '\n';
    agent.socket.write(text.slice(0, text.length - 20));
    agent.socket.write(text.slice(text.length - 20));
    await assert.rejects(evaluate, /ZeroDivisionError: division by zero/);
    assert.deepStrictEqual((await threads).threads, [{ id: 1, name: 'MainThread' }]);
    assert.deepStrictEqual(outputs, ['hi']);
    agent.socket.destroy();
  });

  it('carries a multi-megabyte message and fails pending requests when the agent leaves', async () => {
    const agent = await FakeAgent.connect(server.port);
    agent.hello(server.token);
    const connection = await server.waitForAgent();
    const big = 'x'.repeat(5 * 1024 * 1024) + '\n"é"';
    const evaluate = connection.request('evaluate', { expression: 'big' });
    const request = await agent.nextRequest();
    agent.send({
      type: 'response',
      request_seq: request.seq,
      command: 'evaluate',
      success: true,
      body: { result: big },
    });
    assert.strictEqual((await evaluate).result, big);

    const pending = connection.request('threads', {});
    await agent.nextRequest();
    const closed = new Promise<void>((resolve) => connection.onClose(resolve));
    agent.socket.destroy();
    await assert.rejects(pending, /disconnected/);
    await closed;
    await assert.rejects(connection.request('threads', {}), /not connected/);
  });
});

describe('line splitter', () => {
  it('splits lines across chunks and ignores blank lines and CR', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('{"a":1}\r\n\n{"b":"é"}\n{"c"', 'utf8');
    for (const byte of bytes) {
      splitter.push(Buffer.from([byte]));
    }
    splitter.push(Buffer.from(':3}\n'));
    assert.deepStrictEqual(lines, ['{"a":1}', '{"b":"é"}', '{"c":3}']);
  });
});
