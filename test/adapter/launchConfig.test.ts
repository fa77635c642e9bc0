import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseEnvFile } from '../../src/adapter/envFile';
import { agentInitializeArguments, normalizeArgs, planLaunch } from '../../src/adapter/launchConfig';
import { TOKEN_ENV, USER_PYTHONPATH_ENV } from '../../src/shared/agentProtocol';

const AGENT_PATH = path.resolve(__dirname, '..', '..', '..', 'src', 'agent');

describe('env file', () => {
  it('reads the dotenv dialect', () => {
    const env = parseEnvFile(
      [
        '# a comment',
        'PLAIN=value # trailing comment',
        'export EXPORTED=yes',
        "SINGLE='no ${PLAIN} expansion # kept'",
        'DOUBLE="line1\\nline2 ${PLAIN}"',
        'EXPANDED=${HOME_DIR}/bin:${PLAIN}',
        'ESCAPED="\\${PLAIN}"',
        'DEFAULTED=${MISSING:-fallback}',
        'EMPTY=',
        'MULTI="a',
        'b"',
        '  SPACED = padded  ',
        'not a line',
      ].join('\n'),
      { HOME_DIR: '/home/u' },
    );
    assert.deepStrictEqual(env, {
      PLAIN: 'value',
      EXPORTED: 'yes',
      SINGLE: 'no ${PLAIN} expansion # kept',
      DOUBLE: 'line1\nline2 value',
      EXPANDED: '/home/u/bin:value',
      ESCAPED: '${PLAIN}',
      DEFAULTED: 'fallback',
      EMPTY: '',
      MULTI: 'a\nb',
      SPACED: 'padded',
    });
  });
});

describe('launch arguments', () => {
  it('splits a string of args like a shell', () => {
    assert.deepStrictEqual(normalizeArgs(`a "b c" 'd e' f\\ g "h\\"i"`), ['a', 'b c', 'd e', 'f g', 'h"i']);
    assert.deepStrictEqual(normalizeArgs(['x', 'y z']), ['x', 'y z']);
    assert.deepStrictEqual(normalizeArgs(undefined), []);
  });

  describe('plan', () => {
    let dir: string;
    let program: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-plan-'));
      program = path.join(dir, 'main.py');
      fs.writeFileSync(program, 'print(1)\n');
      fs.writeFileSync(path.join(dir, '.env'), 'FROM_FILE=1\nOVERRIDDEN=file\n');
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('builds the agent command line and environment', () => {
      const plan = planLaunch(
        {
          program: 'main.py',
          cwd: dir,
          args: '--flag "two words"',
          envFile: '.env',
          env: { OVERRIDDEN: 'env', REMOVED: null },
          python: [process.execPath, '-X', 'dev'],
        },
        1234,
        'f'.repeat(32),
        { PATH: process.env.PATH, PYTHONPATH: '/user/lib', REMOVED: 'x' },
        AGENT_PATH,
      );
      assert.deepStrictEqual(plan.args, [
        '-X',
        'dev',
        '-m',
        'asyncio_debugger',
        'launch',
        '--port',
        '1234',
        '--host',
        '127.0.0.1',
        '--',
        program,
        '--flag',
        'two words',
      ]);
      assert.strictEqual(plan.cwd, dir);
      assert.strictEqual(plan.env.FROM_FILE, '1');
      assert.strictEqual(plan.env.OVERRIDDEN, 'env');
      assert.ok(!('REMOVED' in plan.env));
      assert.strictEqual(plan.envChanges.REMOVED, null);
      assert.strictEqual(plan.env.PYTHONPATH, AGENT_PATH + path.delimiter + '/user/lib');
      assert.strictEqual(plan.env[USER_PYTHONPATH_ENV], '/user/lib');
      assert.strictEqual(plan.env[TOKEN_ENV], 'f'.repeat(32));
      assert.strictEqual(plan.env.PYTHONUNBUFFERED, '1');
      assert.ok(!plan.args.includes('f'.repeat(32)), 'the token never goes on the command line');
    });

    it('defaults cwd to the program folder and leaves USER_PYTHONPATH unset without a PYTHONPATH', () => {
      const plan = planLaunch({ program, python: process.execPath }, 1, 't', { PATH: '' }, AGENT_PATH);
      assert.strictEqual(plan.cwd, dir);
      assert.strictEqual(plan.env.PYTHONPATH, AGENT_PATH);
      assert.ok(!(USER_PYTHONPATH_ENV in plan.env));
    });

    it('runs a module with -m', () => {
      const plan = planLaunch(
        { module: 'pkg.cli', args: ['a'], cwd: dir, python: process.execPath },
        1,
        't',
        {},
        AGENT_PATH,
      );
      assert.deepStrictEqual(plan.args.slice(-4), ['--', '-m', 'pkg.cli', 'a']);
    });

    it('warns about a missing env file instead of failing', () => {
      const plan = planLaunch({ program, envFile: 'nope.env', python: process.execPath }, 1, 't', {}, AGENT_PATH);
      assert.match(plan.warnings[0], /Env file not found: .*nope\.env/);
    });

    it('explains bad input', () => {
      assert.throws(() => planLaunch({ program: path.join(dir, 'x.py') }, 1, 't', {}, AGENT_PATH), {
        message: `Program file not found: ${path.join(dir, 'x.py')}`,
      });
      assert.throws(
        () => planLaunch({ program, python: '/no/such/python' }, 1, 't', {}, AGENT_PATH),
        /Python interpreter not found: \/no\/such\/python; set "python" in launch\.json or select an interpreter/,
      );
      assert.throws(() => planLaunch({}, 1, 't', {}, AGENT_PATH), /set "program".*or "module"/);
      assert.throws(() => planLaunch({ program, module: 'm' }, 1, 't', {}, AGENT_PATH), /not both/);
      const bad = { program, trackTasks: 'everything' } as unknown as Parameters<typeof planLaunch>[0];
      assert.throws(
        () => planLaunch(bad, 1, 't', {}, AGENT_PATH),
        /"trackTasks" must be true, false, "steps" or "lifecycle" \(got "everything"\)/,
      );
    });

    it('passes the task tracking level to the agent', () => {
      const level = (trackTasks?: boolean | 'steps' | 'lifecycle') =>
        agentInitializeArguments({ program, trackTasks }).trackTasks;
      assert.deepStrictEqual(
        [level(), level(true), level('steps'), level('lifecycle'), level(false)],
        ['steps', 'steps', 'steps', 'lifecycle', false],
      );
    });
  });
});
