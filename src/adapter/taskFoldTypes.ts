/**
 * What the task fold knows of each object: the agent's tasks/model.py TaskInfo and FutureInfo,
 * and the code objects the records name by registry key (tasks/wire.py describes them).
 */
import type { AgentCodeInfo } from '../shared/agentProtocol';

export interface Frame {
  file: string;
  line: number;
  function: string;
}

/** Who cancelled: a future's or task's cancel dict in model.py (keys may be missing, as there). */
export interface CancelInfo {
  by_task?: number | null;
  site?: Frame | null;
  stack?: Frame[];
  via?: number | null;
  while?: 'waiting' | 'scheduled';
}

export class CodeInfo {
  private readonly lineCache = new Map<number, number>();
  private readonly frames = new Map<number, Frame>();

  constructor(readonly info: AgentCodeInfo) {}

  /** sites.line_of: the line holding instruction offset `lasti` (the first line if none). */
  lineOf(lasti: number): number {
    let line = this.lineCache.get(lasti);
    if (line === undefined) {
      line = this.info.firstLine;
      if (lasti >= 0) {
        const table = this.info.lines;
        for (let i = 0; i + 2 < table.length; i += 3) {
          if (table[i] <= lasti && lasti < table[i + 1]) {
            if (table[i + 2] !== -1) {
              line = table[i + 2];
            }
            break;
          }
        }
      }
      this.lineCache.set(lasti, line);
    }
    return line;
  }

  /** sites.frame: one shared (read-only) frame per offset. */
  frame(lasti: number): Frame {
    let out = this.frames.get(lasti);
    if (out === undefined) {
      out = { file: this.info.file, line: this.lineOf(lasti), function: this.info.name };
      this.frames.set(lasti, out);
    }
    return out;
  }
}

export class TaskInfo {
  name: string | null = null;
  coro: string | null = null;
  site: Frame | null = null;
  parent: number | null = null;
  group: number | null = null;
  loop: number | null = null;
  thread: number | null = null;
  created: number | null = null;
  flags = 0;
  ended: number | null = null;
  outcome: string | null = null;
  type: string | null = null;
  error: string | null = null;
  cancel: CancelInfo | null = null;
  cancelReq: CancelInfo | null = null;
  reports: string[] = [];
  steps = 0;
  busy = 0;
  lastWoke: TaskInfo | FutureInfo | null = null;
  code: CodeInfo | null = null;
  /** Made from `alive` (its CREATE record was dropped, or is still on its way). */
  synthetic = false;

  constructor(
    readonly id: number,
    readonly raw: number,
  ) {}
}

export class FutureInfo {
  kind = 'future';
  hasCreator = false;
  created: number | null = null;
  resolved: number | null = null;
  cancel: CancelInfo | null = null;

  constructor(readonly id: number) {}
}

export type Info = TaskInfo | FutureInfo;
