/**
 * Tells the rest of the extension (the task tree, later) which task the user picked in the
 * timeline, without either side knowing the other.
 */
import * as vscode from 'vscode';
import { TimelineSource } from '../shared/timelineProtocol';
import { NativeTask } from '../shared/timelineTrace';

export interface TaskSelection {
  readonly source: TimelineSource;
  readonly task: NativeTask;
  /** Index of the step chosen in the task's lane, -1 when the lane itself was chosen. */
  readonly span: number;
}

export class TimelineSelection implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TaskSelection>();
  readonly onDidSelectTask = this.emitter.event;
  private last: TaskSelection | undefined;

  get current(): TaskSelection | undefined {
    return this.last;
  }

  fire(selection: TaskSelection): void {
    this.last = selection;
    this.emitter.fire(selection);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
