/**
 * Starts a debug target: resolves the launch plan, checks the interpreter, starts the process
 * (piped or in the client's terminal) and waits for its agent to connect back.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AgentConnection, AgentServer } from './agentConnection';
import { Debuggee, PipedDebuggee, TerminalDebuggee } from './debuggee';
import { ErrorCodes, UserError } from './errors';
import { AsyncioLaunchArguments, LaunchPlan, planLaunch } from './launchConfig';
import { checkPythonVersion } from './python';

export interface LaunchHost {
  /** Whether the client implements the `runInTerminal` reverse request. */
  supportsRunInTerminal: boolean;
  runInTerminal(args: DebugProtocol.RunInTerminalRequestArguments): Promise<DebugProtocol.RunInTerminalResponse>;
  /** A line for the debug console (warnings, fallbacks). */
  console(text: string): void;
  /** Called as soon as the process exists, so its output is never missed. */
  started(debuggee: Debuggee): void;
}

export interface Launched {
  connection: AgentConnection;
  debuggee: Debuggee;
  plan: LaunchPlan;
}

export async function launch(config: AsyncioLaunchArguments, host: LaunchHost): Promise<Launched> {
  const server = await AgentServer.listen();
  let debuggee: Debuggee | undefined;
  try {
    const plan = planLaunch(config, server.port, server.token);
    plan.warnings.forEach((warning) => host.console(warning));
    await checkPythonVersion(plan.python, plan.env);
    debuggee = await start(plan, host);
    const connection = await waitForAgent(server, debuggee, plan);
    if (debuggee instanceof TerminalDebuggee) {
      debuggee.attach(connection.hello.pid);
    }
    return { connection, debuggee, plan };
  } catch (error) {
    await debuggee?.kill();
    throw error;
  } finally {
    server.close();
  }
}

async function start(plan: LaunchPlan, host: LaunchHost): Promise<Debuggee> {
  if (plan.console !== 'internalConsole') {
    if (host.supportsRunInTerminal) {
      const debuggee = new TerminalDebuggee();
      host.started(debuggee);
      const response = await host.runInTerminal({
        kind: plan.console === 'externalTerminal' ? 'external' : 'integrated',
        title: `Python asyncio: ${plan.target}`,
        cwd: plan.cwd,
        args: [plan.python.executable, ...plan.args],
        env: plan.envChanges,
      });
      if (!response.success) {
        throw new UserError(
          ErrorCodes.LaunchFailed,
          `Could not start the program in a terminal: ${response.message ?? 'unknown error'}`,
        );
      }
      return debuggee;
    }
    host.console(
      `This client cannot run programs in a terminal ("console": "${plan.console}"); ` +
        'the program runs with its output in the debug console instead.',
    );
  }
  const debuggee = new PipedDebuggee(plan);
  host.started(debuggee);
  return debuggee;
}

/** Resolves with the agent, or rejects once the process dies or the timeout passes. */
function waitForAgent(server: AgentServer, debuggee: Debuggee, plan: LaunchPlan): Promise<AgentConnection> {
  return new Promise((resolve, reject) => {
    const command = [plan.python.executable, ...plan.args].join(' ');
    const fail = (why: string) => {
      cleanup();
      const stderr = debuggee.recentStderr.trim();
      const tail = stderr ? `\nLast output on stderr:\n${stderr.split('\n').slice(-15).join('\n')}` : '';
      const rejected = server.rejection ? ` (a connection was refused: ${server.rejection})` : '';
      reject(new UserError(ErrorCodes.AgentConnectTimeout, `${why}${rejected}\nCommand: ${command}${tail}`));
    };
    const timer = setTimeout(
      () =>
        fail(
          `The debugger agent did not connect within ${plan.connectTimeout / 1000} s. ` +
            'Raise "connectTimeout" in launch.json if the machine is slow.',
        ),
      plan.connectTimeout,
    );
    const onExit = () => {
      const status = debuggee.exited;
      const how = status?.signal
        ? `was killed by ${status.signal}`
        : status?.code !== undefined
          ? `exited with code ${status.code}`
          : 'could not be started';
      fail(`The Python process ${how} before the debugger agent connected.`);
    };
    const cleanup = () => {
      clearTimeout(timer);
      debuggee.off('exit', onExit);
    };
    debuggee.on('exit', onExit);
    if (debuggee instanceof PipedDebuggee) {
      void debuggee.spawnError.then((error) => fail(`Could not start ${plan.python.executable}: ${error.message}`));
    }
    void server.waitForAgent().then((connection) => {
      cleanup();
      resolve(connection);
    });
  });
}
