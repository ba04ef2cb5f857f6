// Starts every service's processes (from the `platform` block of services/*/package.json and the bot),
// prefixes their output, prints the URLs, and stops them all on Ctrl-C.
// Usage: node scripts/run-services.mjs [service ...]   (no names: all of them)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const COLORS = [36, 33, 35, 32, 34, 91, 96, 93];

function readDotEnv(path) {
  if (!existsSync(path)) return {};
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line))
    .filter(Boolean)
    .map((match) => [match[1], match[2].replace(/^(['"])(.*)\1$/, '$2')]);
  return Object.fromEntries(entries);
}

function discover(only) {
  const found = [];
  for (const group of ['services', 'clients']) {
    if (!existsSync(group)) continue;
    for (const name of readdirSync(group).sort()) {
      const manifest = join(group, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const platform = JSON.parse(readFileSync(manifest, 'utf8')).platform;
      if (!platform?.processes) continue;
      if (only.length > 0 && !only.includes(name)) continue;
      found.push({ name, dir: join(group, name), ...platform });
    }
  }
  return found;
}

const env = { ...readDotEnv('.env'), ...process.env };
const services = discover(process.argv.slice(2));
if (services.length === 0) {
  console.log('up: no services with a "platform" block in their package.json yet; Redis is up, nothing else to start.');
  process.exit(0);
}

const children = [];
let colorIndex = 0;
for (const service of services) {
  if (service.requires && !service.requires.every((name) => env[name])) {
    console.log(`up: skipping ${service.name}: set ${service.requires.join(', ')} to start it`);
    continue;
  }
  for (const [role, entry] of Object.entries(service.processes)) {
    const script = entry.replace(/^src\/(.*)\.ts$/, 'dist/src/$1.js');
    const label = `${service.name}:${role}`;
    const color = COLORS[colorIndex++ % COLORS.length];
    const childEnv = {
      ...env,
      ...(service.port !== undefined && { PORT: String(env[`${service.name.toUpperCase().replaceAll('-', '_')}_PORT`] ?? service.port) }),
    };
    // Own process group: Ctrl-C reaches only this script, which then stops each child once with SIGTERM
    // (a second signal would make a child skip its graceful shutdown).
    const child = spawn(process.execPath, [script], { cwd: service.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const prefix = `\x1b[${color}m${label.padEnd(26)}\x1b[0m|`;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
    }
    child.on('exit', (code, signal) => {
      process.stdout.write(`${prefix} exited (${signal ?? code})\n`);
      if (!stopping && code !== 0) console.log(`up: ${label} stopped unexpectedly; the others keep running.`);
    });
    children.push({ label, child });
  }
  if (service.port !== undefined) console.log(`up: ${service.name} -> http://127.0.0.1:${service.port} (docs at /docs)`);
}

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\nup: ${signal}: stopping ${children.length} processes`);
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 30_000);
  force.unref();
  Promise.all(children.map(({ child }) => (child.exitCode !== null ? null : new Promise((resolve) => child.on('exit', resolve))))).then(
    () => {
      console.log('up: everything stopped');
      process.exit(0);
    },
  );
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
