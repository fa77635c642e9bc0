/**
 * Entry point the extension host loads as `extensionTestsPath`: runs the mocha suites in order and
 * writes each test's outcome to $E2E_RESULTS for the runner outside the browser.
 */
import * as fs from 'fs';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
}

export function run(): Promise<void> {
  // The timeout only keeps a hung session from hanging the run; no test asserts on time.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'e2e', mocha);
  // Order matters: activation must be checked before anything activates the extension.
  require('./activation.test');
  require('./configuration.test');
  require('./debugging.test');
  require('./tasks.test');
  require('./tasksLive.test');

  const outcomes: Outcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.E2E_RESULTS) fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(outcomes, null, 2));
      if (failures) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) =>
      outcomes.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? err.message }),
    );
  });
}
