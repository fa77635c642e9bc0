/**
 * Entry point of dist/debugAdapter.js: DAP on stdin/stdout, or `--server=PORT` to serve sessions
 * over TCP while developing. stdout carries DAP only, so stray console output goes to stderr.
 */
import { killAllDebuggees } from './debuggee';
import { AsyncioDebugSession } from './session';

const toStderr = (...args: unknown[]) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

process.on('exit', killAllDebuggees);
if (!process.argv.some((arg) => arg.startsWith('--server='))) {
  // The client went away without `disconnect`: end the session and its program with it.
  process.stdin.on('end', () => {
    killAllDebuggees();
    process.exit(0);
  });
}

AsyncioDebugSession.run(AsyncioDebugSession);
