import * as vscode from 'vscode';
import { killAllDebuggees } from '../adapter/debuggee';
import { AsyncioDebugSession } from '../adapter/session';

/**
 * Runs the adapter inside the extension host: one process less and no Node/Electron to locate.
 * `dist/debugAdapter.js` stays the entry point for other DAP clients; a launch configuration with
 * `"debugServer": PORT` talks to one started with `--server=PORT` (for debugging the adapter).
 */
export class AsyncioAdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const port: unknown = session.configuration.debugServer;
    if (typeof port === 'number') return new vscode.DebugAdapterServer(port, '127.0.0.1');
    return new vscode.DebugAdapterInlineImplementation(new AsyncioDebugSession());
  }

  /** A window reload must not leave debugged programs running without their debugger. */
  dispose(): void {
    killAllDebuggees();
  }
}
