/** Launching, output, exit codes, bad input and ending a session, on every interpreter. */
import * as assert from 'assert';
import * as path from 'path';
import { fixture, FIXTURES } from './support/fixtures';
import { INTERPRETERS, oldInterpreter } from './support/pythons';
import { isAlive, useSession } from './support/session';
import { FakeTerminal } from './support/terminal';

// Inherited by every adapter this file starts, so a launch can show that `env: {X: null}` removes it.
process.env.ASYNCIO_TEST_INHERITED = 'inherited';

for (const python of INTERPRETERS) {
  describe(`launch (Python ${python.version})`, () => {
    const session = useSession(python);

    it('runs a program to the end and reports exit code 0', async () => {
      const s = session();
      await s.launch({ program: fixture('hello_exit.py'), args: ['one', 'two words'] });
      await s.waitForTerminated();
      assert.strictEqual(s.exitCode(), 0);
      assert.match(s.outputText('stdout'), /hello from asyncio\nargv: \['one', 'two words'\]\n/);
      assert.match(s.outputText('console'), /Process exited with code 0/);
    });

    it('keeps stdout and stderr in order, each in its own category', async () => {
      const s = session();
      await s.launch({ program: fixture('output_order.py') });
      await s.waitForTerminated();
      const lines = s.events
        .filter((e) => e.event === 'output' && ['stdout', 'stderr'].includes(e.body.category))
        .flatMap((e) =>
          (e.body.output as string)
            .split('\n')
            .filter(Boolean)
            .map((line) => `${e.body.category}:${line}`),
        );
      assert.deepStrictEqual(lines, [
        'stdout:out 0',
        'stderr:err 0',
        'stdout:out 1',
        'stderr:err 1',
        'stdout:out 2',
        'stderr:err 2',
      ]);
    });

    it('reports sys.exit(3) as exit code 3', async () => {
      const s = session();
      await s.launch({ program: fixture('exit_code.py') });
      await s.waitForTerminated();
      assert.strictEqual(s.exitCode(), 3);
      assert.match(s.outputText('console'), /Process exited with code 3/);
    });

    it('reports os._exit(5) from the process status', async () => {
      const s = session();
      await s.launch({ program: fixture('os_exit.py') });
      await s.waitForTerminated();
      assert.strictEqual(s.exitCode(), 5);
      assert.match(s.outputText('stdout'), /leaving abruptly/);
    });

    it('reports death by a signal with the signal name', async () => {
      const s = session();
      await s.launch({ program: fixture('killed.py') });
      await s.waitForTerminated();
      assert.strictEqual(s.exitCode(), 137);
      assert.match(s.outputText('console'), /Process exited with code 137 \(killed by SIGKILL\)/);
    });

    it('ends the session and the program when the agent connection is lost', async () => {
      const s = session();
      await s.launch({ program: fixture('drop_agent.py') });
      const pid = Number(/PID (\d+)/.exec(await s.waitForOutput(/PID \d+/, 'stdout'))?.[1]);
      await s.waitForTerminated();
      // The agent ends its program itself when its connection is lost (SIGTERM); else the adapter does.
      assert.match(s.outputText('console'), /Lost the connection to the debugger agent|killed by SIGTERM/);
      assert.strictEqual(isAlive(pid), false, `process ${pid} is still running`);
    });

    it('shows a syntax error as Python would and exits with 1', async () => {
      const s = session();
      await s.launch({ program: fixture('syntax_error.py') });
      await s.waitForTerminated();
      assert.strictEqual(s.exitCode(), 1);
      assert.match(s.outputText('stderr'), /SyntaxError/);
      assert.doesNotMatch(s.outputText('stdout'), /never runs/);
    });

    it('runs a module with arguments from its cwd', async () => {
      const s = session();
      await s.launch({ module: 'modpkg', args: 'a "b c"', cwd: FIXTURES });
      await s.waitForTerminated();
      assert.match(s.outputText('stdout'), /module __main__ args \['a', 'b c'\]/);
      assert.strictEqual(s.exitCode(), 2);
    });

    it('applies env, envFile and cwd, and hides its own variables from the program', async () => {
      const s = session();
      const cwd = path.join(FIXTURES, 'modpkg');
      await s.launch({
        program: fixture('env_show.py'),
        cwd,
        envFile: fixture('adapter.env'),
        env: { FROM_ENV: 'env value', OVERRIDDEN: 'from env', ASYNCIO_TEST_INHERITED: null, PYTHONPATH: '/user/path' },
      });
      await s.waitForTerminated();
      const line = /ENV (.*)/.exec(s.outputText('stdout'));
      assert.ok(line, s.outputText());
      const env = JSON.parse(line[1]);
      assert.strictEqual(env.cwd, cwd);
      assert.strictEqual(env.FROM_ENV, 'env value');
      assert.strictEqual(env.FROM_FILE, 'file value');
      assert.strictEqual(env.OVERRIDDEN, 'from env');
      assert.strictEqual(env.EXPANDED, 'file value/more');
      assert.strictEqual(env.INHERITED, null);
      assert.strictEqual(env.PYTHONPATH, '/user/path');
      assert.strictEqual(env.token_seen, false);
      assert.strictEqual(env.user_path_var_seen, false);
      assert.strictEqual(env.path0, FIXTURES);
      assert.strictEqual(env.argv[0], fixture('env_show.py'));
    });

    for (const mode of ['sleep', 'input']) {
      it(`terminate ends a program blocked in ${mode} and leaves no process`, async () => {
        const s = session();
        await s.launch({ program: fixture('blocked.py'), args: [mode] });
        const pid = Number(/PID (\d+)/.exec(await s.waitForOutput(/PID \d+/, 'stdout'))?.[1]);
        assert.ok(isAlive(pid));
        await Promise.all([s.waitForTerminated(), s.dc.terminateRequest({})]);
        assert.strictEqual(isAlive(pid), false, `process ${pid} is still running`);
      });
    }

    it('disconnect ends a program and leaves no process', async () => {
      const s = session();
      await s.launch({ program: fixture('blocked.py') });
      const pid = Number(/PID (\d+)/.exec(await s.waitForOutput(/PID \d+/, 'stdout'))?.[1]);
      await s.dc.disconnectRequest({ terminateDebuggee: true });
      assert.strictEqual(isAlive(pid), false, `process ${pid} is still running`);
    });

    for (const how of ['SIGTERM', 'closed stdin'] as const) {
      it(`the program does not outlive an adapter ended by ${how}`, async () => {
        const s = session();
        await s.launch({ program: fixture('blocked.py') });
        const pid = Number(/PID (\d+)/.exec(await s.waitForOutput(/PID \d+/, 'stdout'))?.[1]);
        const adapter = s.adapter;
        const exited = new Promise((resolve) => adapter.once('exit', resolve));
        if (how === 'SIGTERM') {
          adapter.kill('SIGTERM');
        } else {
          adapter.stdin?.end();
        }
        await exited;
        // The kill is immediate, but the orphan is reaped by init a moment later.
        while (isAlive(pid)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
    }

    it('fails with a clear message for a missing program', async () => {
      const s = session();
      const missing = path.join(FIXTURES, 'no_such_program.py');
      await assert.rejects(s.launch({ program: missing }), { message: `Program file not found: ${missing}` });
    });

    it('runs the program in the client terminal with runInTerminal', async () => {
      const s = session();
      const terminal = new FakeTerminal(s.dc);
      try {
        await s.launch(
          { program: fixture('exit_code.py'), console: 'integratedTerminal' },
          { initialize: { supportsRunInTerminalRequest: true } },
        );
        await s.waitForTerminated();
        assert.strictEqual(terminal.requests.length, 1);
        const request = terminal.requests[0];
        assert.strictEqual(request.kind, 'integrated');
        assert.strictEqual(request.args[0], python.executable);
        assert.deepStrictEqual(request.args.slice(-2), ['--', fixture('exit_code.py')]);
        assert.ok(request.env?.ASYNCIO_DEBUGGER_TOKEN, 'the token travels in the environment');
        assert.match(terminal.output, /leaving with 3/);
        assert.strictEqual(s.exitCode(), 3);
        assert.strictEqual(s.outputText('stdout'), '', 'output stays in the terminal');
      } finally {
        terminal.dispose();
      }
    });

    it('terminate ends a program running in the terminal', async () => {
      const s = session();
      const terminal = new FakeTerminal(s.dc);
      try {
        await s.launch(
          { program: fixture('blocked.py'), console: 'externalTerminal' },
          { initialize: { supportsRunInTerminalRequest: true } },
        );
        assert.strictEqual(terminal.requests[0].kind, 'external');
        const pid = Number((await terminal.waitForOutput(/PID (\d+)/))[1]);
        await Promise.all([s.waitForTerminated(), s.dc.terminateRequest({})]);
        assert.strictEqual(isAlive(pid), false, `process ${pid} is still running`);
      } finally {
        terminal.dispose();
      }
    });

    it('falls back to the debug console when the client has no terminal', async () => {
      const s = session();
      await s.launch(
        { program: fixture('hello_exit.py'), console: 'integratedTerminal' },
        { initialize: { supportsRunInTerminalRequest: false } },
      );
      await s.waitForTerminated();
      assert.match(s.outputText('console'), /cannot run programs in a terminal/);
      assert.match(s.outputText('stdout'), /hello from asyncio/);
    });
  });
}

describe('launch errors', () => {
  const python = INTERPRETERS[INTERPRETERS.length - 1];
  const session = useSession(python);

  it('fails with a clear message for a missing interpreter', async () => {
    await assert.rejects(session().launch({ program: fixture('hello_exit.py'), python: '/no/such/python3' }), {
      message: 'Python interpreter not found: /no/such/python3; set "python" in launch.json or select an interpreter.',
    });
  });

  it('names the version of an interpreter that is too old', async function () {
    const old = oldInterpreter();
    if (!old) {
      this.skip();
    }
    await assert.rejects(
      session().launch({ program: fixture('hello_exit.py'), python: old }),
      /Python 3\.\d\.\d+ .* is too old: the asyncio debugger requires Python 3\.10\+/,
    );
  });

  it('reports the exit code and stderr of a process that dies before connecting', async () => {
    const s = session();
    await assert.rejects(
      s.launch({
        program: fixture('hello_exit.py'),
        python: fixture('fake_python_no_agent.sh'),
        env: { REAL_PYTHON: python.executable },
      }),
      (error: Error) => {
        assert.match(error.message, /exited with code 7 before the debugger agent connected/);
        assert.match(error.message, /fake interpreter: cannot start the agent/);
        return true;
      },
    );
  });

  it('gives up after connectTimeout and stops the process', async () => {
    const s = session();
    await assert.rejects(
      s.launch({
        program: fixture('hello_exit.py'),
        python: fixture('fake_python_silent.sh'),
        env: { REAL_PYTHON: python.executable },
        connectTimeout: 1500,
      }),
      (error: Error) => {
        assert.match(error.message, /did not connect within 1\.5 s/);
        assert.match(error.message, /"connectTimeout"/);
        assert.match(error.message, /fake interpreter: waiting forever/);
        return true;
      },
    );
  });
});
