// Builds the production bundles, packs the VSIX and checks what is inside it: a manifest that
// points at files the package does not ship only fails on users' machines otherwise.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.vscode-test', 'asyncio-debugger.vsix');

const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/debugAdapter.js',
  'extension/src/agent/asyncio_debugger/__init__.py',
  'extension/src/agent/asyncio_debugger/__main__.py',
  'extension/media/icon.png',
];
const FORBIDDEN = [
  [/\.tsx?$/, 'TypeScript source'],
  [/\.map$/, 'source map'],
  [/^extension\/node_modules\//, 'node_modules (everything needed is bundled)'],
  [/^extension\/test\//, 'tests'],
  [/^extension\/bench\//, 'benchmarks'],
  [/^extension\/out\//, 'compiled tests'],
  [/__pycache__|\.pyc$/, 'Python bytecode'],
  [/^extension\/\.vscode-test\//, 'test tools'],
];

function run(command, args) {
  execFileSync(command, args, { cwd: ROOT, stdio: 'inherit' });
}

/** File names from a zip's central directory (a VSIX is a zip); no unzip tool needed. */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function check(names) {
  const problems = [];
  for (const required of REQUIRED) if (!names.includes(required)) problems.push(`missing ${required}`);
  for (const name of names) {
    for (const [pattern, what] of FORBIDDEN) if (pattern.test(name)) problems.push(`${what} inside: ${name}`);
  }
  return problems;
}

function main() {
  run(process.execPath, ['esbuild.js', '--production']);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.rmSync(OUT, { force: true });
  // Dependencies are bundled by esbuild, so vsce must not copy node_modules. The project has no
  // public repository yet, so README links stay relative.
  run(process.execPath, [
    require.resolve('@vscode/vsce/vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--out',
    OUT,
  ]);
  const names = zipEntries(OUT);
  console.log(`${path.relative(ROOT, OUT)}: ${names.length} files, ${(fs.statSync(OUT).size / 1024).toFixed(0)} KB`);
  for (const name of names.filter((n) => n.startsWith('extension/')).sort()) console.log(`  ${name}`);
  const problems = check(names);
  if (problems.length) {
    for (const p of problems) console.error(`✘ ${p}`);
    process.exit(1);
  }
  console.log('VSIX contents check passed.');
}

module.exports = { VSIX: OUT, zipEntries, check };

if (require.main === module) main();
