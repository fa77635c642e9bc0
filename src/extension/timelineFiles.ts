/** Reading native traces, writing Chrome traces, and finding the source file a site names. */
import * as path from 'path';
import * as vscode from 'vscode';
import { chromeTraceChunks, toChromeTrace } from '../shared/chromeTrace';
import { TimelineModel } from '../shared/timelineModel';
import { NativeSite, NativeTrace, asNativeTrace } from '../shared/timelineTrace';

export async function readNativeTrace(uri: vscode.Uri): Promise<NativeTrace> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${path.basename(uri.fsPath)} is not valid JSON: ${(e as Error).message}`);
  }
  return asNativeTrace(json);
}

export async function writeChromeTrace(model: TimelineModel, uri: vscode.Uri): Promise<number> {
  const trace = toChromeTrace(model);
  const text = [...chromeTraceChunks(trace)].join('');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return trace.traceEvents.length;
}

/**
 * The file a creation site points at. The agent writes absolute paths; a relative one (a trace
 * moved between machines, or a test fixture) is tried next to the trace, then in each workspace folder.
 */
export async function resolveSite(
  site: NativeSite,
  traceFile: vscode.Uri | undefined,
): Promise<vscode.Uri | undefined> {
  if (path.isAbsolute(site.file)) return vscode.Uri.file(site.file);
  const bases = [
    ...(traceFile ? [vscode.Uri.file(path.dirname(traceFile.fsPath))] : []),
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri),
  ];
  for (const base of bases) {
    const candidate = vscode.Uri.joinPath(base, site.file);
    try {
      await vscode.workspace.fs.stat(candidate);
      return candidate;
    } catch {
      // not here: try the next base
    }
  }
  return undefined;
}
