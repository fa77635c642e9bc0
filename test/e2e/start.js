// `npm start`: builds, then opens the examples workspace with this extension loaded. A desktop VS
// Code (`code` on PATH) gets an Extension Development Host; otherwise code-server serves the same
// on 127.0.0.1 and this process keeps it alive until Ctrl+C.
const { execFileSync, spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main() {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (onPath('code') && !process.argv.includes('--code-server')) {
    const child = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  const { ensureTools } = require('./install');
  const { startCodeServer, linkExtension } = require('./codeServer');
  ensureTools();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncio-start-'));
  const extensionsDir = path.join(runDir, 'ext');
  linkExtension(extensionsDir, ROOT);
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer({ runDir, extensionsDir, port });
  process.on('exit', () => fs.rmSync(runDir, { recursive: true, force: true }));
  console.log(`\nAsyncio Debugger examples: ${server.url}/?folder=${encodeURIComponent(EXAMPLES)}`);
  console.log(`(code-server on 127.0.0.1 only; log: ${server.logFile}; Ctrl+C stops it)`);
  // codeServer.js stops the process group on SIGINT/SIGTERM; stay alive until then.
  server.child.on('exit', (code) => {
    console.log(`code-server exited (${code}).`);
    process.exit(code ?? 1);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
