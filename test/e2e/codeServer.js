// Starts code-server (VS Code served to a browser, with a real Node extension host) in throwaway
// folders on 127.0.0.1, and stops its whole process group however the caller exits.
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { paths } = require('./install');

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'window.restoreWindows': 'none',
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'debug.openDebug': 'openOnDebugBreak',
  // The adapter's loopback listener is not a service to forward.
  'remote.autoForwardPorts': false,
};

const running = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Keeps code-server's own config, data and caches inside `runDir`, away from the user's home. */
function isolatedEnv(runDir) {
  const xdg = path.join(runDir, 'xdg');
  for (const d of ['config', 'data', 'cache']) fs.mkdirSync(path.join(xdg, d), { recursive: true });
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    PATH: `${path.dirname(paths.node24)}${path.delimiter}${process.env.PATH}`,
  };
}

/** Installs a VSIX into `extensionsDir` the way users do (`code-server --install-extension`). */
function installVsix(vsix, extensionsDir, runDir) {
  execFileSync(
    paths.node24,
    [
      paths.codeServerEntry,
      '--user-data-dir',
      path.join(runDir, 'ud'),
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
    ],
    { env: isolatedEnv(runDir), stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Loads the working tree as an installed extension (no packaging): edits show after a window reload. */
function linkExtension(extensionsDir, root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const link = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.rmSync(link, { force: true, recursive: false });
  fs.symlinkSync(root, link, 'dir');
  return link;
}

/**
 * @param {object} options
 * @param {number} [options.port] a fixed port (a free one by default).
 * @param {boolean} [options.smokeTestDriver] route 1: lets the page run extension tests.
 * @param {string} [options.extensionsDir] reuse a prepared extensions folder (route 2).
 * @param {string} [options.runDir] where config/profile folders go (a temp dir by default).
 * @param {Record<string,string>} [options.env] extra environment for code-server and its extension host.
 * @param {(dirs: {runDir: string, userDataDir: string, extensionsDir: string}) => void} [options.beforeStart]
 *   prepares the folders (e.g. installs a VSIX) before code-server starts.
 * @param {string} [options.keepLogAs] where to copy code-server's log when it stops (its folder is removed).
 * @param {boolean} [options.quiet] keep code-server's log out of the terminal (it goes to runDir/code-server.log).
 */
async function startCodeServer(options = {}) {
  const ownsRunDir = options.runDir === undefined;
  const runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-e2e-'));
  const port = options.port ?? (await freePort());
  const userDataDir = path.join(runDir, 'ud');
  const extensionsDir = options.extensionsDir ?? path.join(runDir, 'ext');
  for (const d of [`${userDataDir}/User`, extensionsDir]) {
    fs.mkdirSync(d, { recursive: true });
  }
  // An empty config file, else code-server writes ~/.config/code-server/config.yaml with a password.
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, '');
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));

  options.beforeStart?.({ runDir, userDataDir, extensionsDir });

  const args = [
    paths.codeServerEntry,
    '--config',
    config,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--ignore-last-opened',
  ];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  const logFile = path.join(runDir, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(paths.node24, args, {
    // Its own process group, so one signal reaches the extension host and the debuggees too.
    detached: true,
    stdio: ['ignore', options.quiet === false ? 'inherit' : log, options.quiet === false ? 'inherit' : log],
    env: { ...isolatedEnv(runDir), ...options.env },
  });
  fs.closeSync(log);
  const server = {
    port,
    runDir,
    ownsRunDir,
    userDataDir,
    extensionsDir,
    logFile,
    keepLogAs: options.keepLogAs,
    child,
    url: `http://127.0.0.1:${port}`,
  };
  running.add(server);
  let exited = false;
  child.on('exit', () => (exited = true));

  const deadline = Date.now() + 60_000;
  while (!(await healthy(port))) {
    if (exited || Date.now() > deadline) {
      const lastLines = tail(logFile);
      stopCodeServer(server);
      throw new Error(`code-server did not become healthy; its log ends with:\n${lastLines}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return server;
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Stops the whole process group: a plain kill leaves the extension host and debuggees running. */
function stopCodeServer(server) {
  if (!running.delete(server)) return;
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    try {
      process.kill(-server.child.pid, signal);
    } catch {
      break; // the group is gone
    }
    if (signal === 'SIGTERM') waitForGroupExit(server.child.pid, 5000);
  }
  try {
    if (server.keepLogAs) {
      fs.mkdirSync(path.dirname(server.keepLogAs), { recursive: true });
      fs.copyFileSync(server.logFile, server.keepLogAs);
    }
    if (server.ownsRunDir && !process.env.E2E_KEEP) fs.rmSync(server.runDir, { recursive: true, force: true });
  } catch {
    // Cleaning up must never hide the test result.
  }
}

function waitForGroupExit(pgid, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

function stopAll() {
  for (const server of [...running]) stopCodeServer(server);
}

// Whatever ends this process (Ctrl+C, a crash, a global timeout) takes code-server with it.
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopAll();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  });
}

module.exports = { startCodeServer, stopCodeServer, stopAll, installVsix, linkExtension, SETTINGS };
