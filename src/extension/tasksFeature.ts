/**
 * Wires the "Asyncio Tasks" view together: the store fed by the adapter, the tree view and its
 * commands. `activate` calls this once; everything it makes is disposed with the returned object.
 */
import * as vscode from 'vscode';
import { SessionStore } from './sessionStore';
import { TasksActions, TimelineLink } from './tasksActions';
import { TasksStore } from './tasksStore';
import { TasksTreeProvider } from './tasksView';

/** What tests (and other extensions) reach through the extension's API. */
export interface TasksApi extends vscode.Disposable {
  readonly store: TasksStore;
  readonly view: TasksTreeProvider;
  readonly actions: TasksActions;
}

export function registerTasksView(sessions: SessionStore, timeline?: TimelineLink): TasksApi {
  const store = new TasksStore();
  const view = new TasksTreeProvider(store, sessions);
  const actions = new TasksActions(view, timeline);
  return {
    store,
    view,
    actions,
    dispose: () => {
      actions.dispose();
      view.dispose();
      store.dispose();
    },
  };
}
