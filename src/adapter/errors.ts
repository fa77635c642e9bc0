/** Error codes of the DAP error responses the adapter sends (stable: users search for them). */
export const enum ErrorCodes {
  ProgramNotFound = 5001,
  PythonNotFound = 5002,
  PythonTooOld = 5003,
  AgentConnectTimeout = 5004,
  InvalidLaunchConfig = 5005,
  AgentRequestFailed = 5006,
  NotConnected = 5007,
  EnvFileInvalid = 5008,
  AttachUnsupported = 5009,
  LaunchFailed = 5010,
}

/** A problem the user can fix; its message says what to do. */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCodes,
    message: string,
  ) {
    super(message);
  }
}
