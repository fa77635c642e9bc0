/** Runs Python scripts with the agent on the path (for tests of what the agent encodes). */
import * as cp from 'child_process';
import * as path from 'path';
import type { AgentRecordsBody } from '../../../src/shared/agentProtocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const AGENT_PATH = path.join(ROOT, 'src', 'agent');
export const SUPPORT = path.join(ROOT, 'test', 'adapter', 'support');

/** stdout of `python args...` (stdin: `input`); throws with stderr when it fails. */
export function runPython(executable: string, args: string[], input?: string): string {
  const r = cp.spawnSync(executable, args, {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, PYTHONPATH: AGENT_PATH, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (r.status !== 0) {
    throw new Error(`${executable} ${args.join(' ')} exited with ${r.status}: ${r.stderr || r.error}`);
  }
  return r.stdout;
}

const MARSHAL_RECORDS = `
import base64, json, marshal, sys
records = [tuple(r) for r in json.load(sys.stdin)]
sys.stdout.write(base64.b64encode(marshal.dumps(records)).decode("ascii"))
`;

/** base64 of what this Python's marshal.dumps makes of these record tuples. */
export function marshalRecords(executable: string, records: unknown[][]): string {
  return runPython(executable, ['-c', MARSHAL_RECORDS], JSON.stringify(records));
}

/** A `records` body holding hand-made records (no codes or types described), times absolute. */
export function recordsBody(
  executable: string,
  records: unknown[][],
  extra: Partial<AgentRecordsBody> = {},
): AgentRecordsBody {
  return {
    t0: 1000,
    now: 1_000_000,
    data: marshalRecords(executable, records),
    objects: [],
    codes: [],
    types: [],
    dropped: { records: 0, objects: 0 },
    ...extra,
  };
}
