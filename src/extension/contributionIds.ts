/**
 * Every id the manifest (package.json `contributes`) and the code share, declared once so a rename
 * cannot leave one side behind. Tests and users rely on these names: keep them stable.
 */
export const DEBUG_TYPE = 'asyncio';
export const DEBUG_LABEL = 'Python asyncio';
export const EXTENSION_ID = 'asyncio-debugger.asyncio-debugger';
export const OUTPUT_CHANNEL_NAME = 'Asyncio Debugger';

export const enum Commands {
  ShowTimeline = 'asyncioDebugger.showTimeline',
}

export const enum Views {
  Tasks = 'asyncioTasks',
}

export const enum Panels {
  Timeline = 'asyncioDebugger.timeline',
}
