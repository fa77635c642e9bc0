import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { extension, fixture, markerLine, nextEvent, workspaceFolder } from './helpers';

/** Records the DAP events of `asyncio` sessions, as a user-visible client would see them. */
class EventLog implements vscode.Disposable {
  readonly events: DebugProtocol.Event[] = [];
  private readonly emitter = new vscode.EventEmitter<DebugProtocol.Event>();
  readonly onEvent = this.emitter.event;
  private readonly registration = vscode.debug.registerDebugAdapterTrackerFactory('asyncio', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'event') return;
        this.events.push(m as DebugProtocol.Event);
        this.emitter.fire(m as DebugProtocol.Event);
      },
    }),
  });

  output(): string {
    return this.events
      .filter((e): e is DebugProtocol.OutputEvent => e.event === 'output')
      .map((e) => e.body.output)
      .join('');
  }

  exitCode(): number | undefined {
    return this.events.find((e): e is DebugProtocol.ExitedEvent => e.event === 'exited')?.body.exitCode;
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
  }
}

function launchConfig(name: string): vscode.DebugConfiguration {
  return { type: 'asyncio', request: 'launch', name, program: fixture('gather_sum.py'), console: 'internalConsole' };
}

suite('Debugging a real asyncio program', () => {
  let log: EventLog;
  setup(() => (log = new EventLog()));
  teardown(async () => {
    log.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
  });

  test('startDebugging runs the program to its end', async () => {
    const started = nextEvent(vscode.debug.onDidStartDebugSession);
    const terminated = nextEvent(vscode.debug.onDidTerminateDebugSession);
    assert.strictEqual(await vscode.debug.startDebugging(workspaceFolder(), launchConfig('run to end')), true);
    const session = await started;
    assert.strictEqual(session.type, 'asyncio');
    assert.strictEqual((await terminated).id, session.id);
    assert.match(log.output(), /total=14/);
    assert.strictEqual(log.exitCode(), 0);
  });

  test('a breakpoint stops the program with its stack and variables; a step moves one line; it runs to its end', async () => {
    const file = fixture('gather_sum.py');
    const line = markerLine(file, 'total');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(line - 1, 0))),
    ]);
    const stoppedFrame = nextEvent(
      vscode.debug.onDidChangeActiveStackItem,
      (item) => item instanceof vscode.DebugStackFrame,
    ) as Promise<vscode.DebugStackFrame>;
    const stoppedEvent = nextEvent(log.onEvent, (e) => e.event === 'stopped') as Promise<DebugProtocol.StoppedEvent>;
    const terminated = nextEvent(vscode.debug.onDidTerminateDebugSession);
    assert.strictEqual(await vscode.debug.startDebugging(workspaceFolder(), launchConfig('breakpoint')), true);

    const [frame, stopped] = await Promise.all([stoppedFrame, stoppedEvent]);
    assert.strictEqual(stopped.body.reason, 'breakpoint');
    const session = frame.session;
    const api = extension().exports;
    assert.strictEqual(api.sessions.get(session.id)?.stopped, true, 'the session store saw the stop');

    const trace: DebugProtocol.StackTraceResponse['body'] = await session.customRequest('stackTrace', {
      threadId: frame.threadId,
    });
    assert.strictEqual(trace.stackFrames[0].line, line);
    assert.strictEqual(trace.stackFrames[0].name, 'main');
    const scopes: DebugProtocol.ScopesResponse['body'] = await session.customRequest('scopes', {
      frameId: trace.stackFrames[0].id,
    });
    const locals: DebugProtocol.VariablesResponse['body'] = await session.customRequest('variables', {
      variablesReference: scopes.scopes[0].variablesReference,
    });
    const byName = new Map(locals.variables.map((v) => [v.name, v.value]));
    assert.strictEqual(byName.get('results'), '[1, 4, 9]');
    assert.ok(!byName.has('total'), 'the breakpoint line has not run yet');

    const stepped = nextEvent(log.onEvent, (e) => e.event === 'stopped') as Promise<DebugProtocol.StoppedEvent>;
    await session.customRequest('next', { threadId: frame.threadId });
    assert.strictEqual((await stepped).body.reason, 'step');
    const afterStep: DebugProtocol.StackTraceResponse['body'] = await session.customRequest('stackTrace', {
      threadId: frame.threadId,
    });
    assert.strictEqual(afterStep.stackFrames[0].line, line + 1);
    const total: DebugProtocol.EvaluateResponse['body'] = await session.customRequest('evaluate', {
      expression: 'total',
      frameId: afterStep.stackFrames[0].id,
      context: 'watch',
    });
    assert.strictEqual(total.result, '14');

    await session.customRequest('continue', { threadId: frame.threadId });
    assert.strictEqual((await terminated).id, session.id);
    assert.strictEqual(api.sessions.get(session.id), undefined, 'the store forgets ended sessions');
    assert.strictEqual(log.exitCode(), 0);
    assert.match(log.output(), /total=14/);
  });

  test('console "integratedTerminal" runs the program in a terminal to its end', async () => {
    const terminal = nextEvent(vscode.window.onDidOpenTerminal);
    const terminated = nextEvent(vscode.debug.onDidTerminateDebugSession);
    const config = { ...launchConfig('in a terminal'), console: 'integratedTerminal' };
    assert.strictEqual(await vscode.debug.startDebugging(workspaceFolder(), config), true);
    assert.ok(await terminal);
    await terminated;
    assert.strictEqual(log.exitCode(), 0);
  });
});
