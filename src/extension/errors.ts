import * as vscode from 'vscode';

/** Stable codes so a user report ("error 1002") points at one place in the code. */
export const enum ErrorCodes {
  NoPythonFile = 1001,
}

/** A mistake the user can fix; shown with actions instead of a stack trace. */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCodes,
    message: string,
  ) {
    super(message);
  }
}

const OPEN_LOG = 'Open Log';

/** Shows `message` with an "Open Log" action that reveals `channel`. */
export async function showUserError(error: UserError, channel: vscode.LogOutputChannel): Promise<void> {
  channel.warn(`[${error.code}] ${error.message}`);
  const choice = await vscode.window.showErrorMessage(error.message, OPEN_LOG);
  if (choice === OPEN_LOG) channel.show(true);
}
