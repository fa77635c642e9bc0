import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { SessionStore } from './sessionStore';

const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto']);

/**
 * Writes every DAP message of `asyncio` sessions to the log at trace level (set the channel's
 * level to Trace to see them) and tells the store when a session stops or runs again.
 */
export class DapTrackerFactory implements vscode.DebugAdapterTrackerFactory {
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly store: SessionStore,
  ) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const { log, store } = this;
    const tag = `[${session.name}]`;
    return {
      onWillStartSession: () => log.info(`${tag} starting`),
      onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
        log.trace(`${tag} → ${JSON.stringify(m)}`);
        // Adapters need not send `continued` after a resume request: the request itself says it.
        if (m.type === 'request' && RESUMING.has((m as DebugProtocol.Request).command)) {
          store.setStopped(session.id, false);
        }
      },
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        log.trace(`${tag} ← ${JSON.stringify(m)}`);
        if (m.type !== 'event') return;
        const event = (m as DebugProtocol.Event).event;
        if (event === 'stopped') store.setStopped(session.id, true);
        else if (event === 'continued') store.setStopped(session.id, false);
      },
      onWillStopSession: () => log.info(`${tag} stopping`),
      onError: (e) => log.error(`${tag} adapter error: ${e.stack ?? e.message}`),
      onExit: (code, signal) => log.info(`${tag} adapter exited (code ${code}, signal ${signal})`),
    };
  }
}
