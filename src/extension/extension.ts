import * as vscode from 'vscode';
import { AsyncioAdapterFactory } from './adapterFactory';
import { AsyncioConfigurationProvider } from './configurationProvider';
import { Commands, DEBUG_TYPE, OUTPUT_CHANNEL_NAME } from './contributionIds';
import { DapTrackerFactory } from './dapTracker';
import { DynamicConfigurationProvider } from './dynamicConfigurations';
import { SessionStore } from './sessionStore';
import { TasksApi, registerTasksView } from './tasksFeature';
import { LiveTimeline } from './timelineLive';
import { TimelinePanel } from './timelinePanel';

/** What `activate` returns: lets tests (and other extensions) read the session store. */
export interface AsyncioDebuggerApi {
  readonly sessions: SessionStore;
  readonly configurations: vscode.DebugConfigurationProvider;
  readonly tasks: TasksApi;
}

export function activate(context: vscode.ExtensionContext): AsyncioDebuggerApi {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const sessions = new SessionStore();
  const timeline = new TimelinePanel();
  const liveTimeline = new LiveTimeline(timeline, sessions);
  const tasks = registerTasksView(sessions, timeline);
  const configurations = new AsyncioConfigurationProvider(log);
  const adapterFactory = new AsyncioAdapterFactory();

  context.subscriptions.push(
    log,
    sessions,
    tasks,
    timeline,
    liveTimeline,
    adapterFactory,
    // launch.json's first configurations come from package.json `initialConfigurations`.
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurations),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new DynamicConfigurationProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, adapterFactory),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, new DapTrackerFactory(log, sessions)),
    vscode.commands.registerCommand(Commands.ShowTimeline, () => liveTimeline.show()),
  );
  log.info(`Activated (VS Code ${vscode.version}).`);
  return { sessions, configurations, tasks };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
