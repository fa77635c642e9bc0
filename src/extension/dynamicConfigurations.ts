import * as vscode from 'vscode';
import { DEBUG_LABEL } from './contributionIds';
import { activePythonFile, currentFileConfiguration } from './configurationProvider';

/**
 * Offers "Python asyncio: <file>" in the Run and Debug dropdown and in "Select and Start
 * Debugging" for the active Python file, so a launch.json is never required.
 */
export class DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const doc = activePythonFile();
    if (!doc) return [];
    return [
      {
        ...currentFileConfiguration(),
        name: `${DEBUG_LABEL}: ${vscode.workspace.asRelativePath(doc.uri, false)}`,
        program: doc.uri.fsPath,
      },
    ];
  }
}
