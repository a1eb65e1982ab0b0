#!/usr/bin/env node
// Runs a command (the test suites) with the infrastructure they need, without any hand-started process:
//  - KAFKA_BROKERS set, or a Docker engine reachable (Testcontainers then runs inside Jest's global setup):
//    the command runs as is;
//  - otherwise the local broker of deploy/local/kafka.sh is started if nothing listens on 127.0.0.1:9092,
//    and stopped again when the command ends (only if this wrapper started it).
// Usage: node libs/testing/bin/with-infra.cjs <command> [args...]
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
const script = path.join(root, 'deploy/local/kafka.sh');
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  process.stderr.write('usage: with-infra.cjs <command> [args...]\n');
  process.exit(2);
}

function portOpen(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function dockerLikely() {
  if (process.env.ONESTOP_NO_TESTCONTAINERS === '1') return false;
  return Boolean(process.env.DOCKER_HOST) || fs.existsSync('/var/run/docker.sock');
}

// The dashboard's browser tests drive Debian's Chromium (playwright-core never downloads a browser).
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('which', ['apt-get']).status !== 0) {
    process.stderr.write(`[with-infra] ${CHROMIUM} is missing: install Debian's chromium package (sudo apt-get install chromium)\n`);
    return; // the browser tests then fail with that message; everything else still runs
  }
  process.stderr.write('[with-infra] installing Debian chromium for the dashboard browser tests (apt-get)...\n');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

async function main() {
  ensureChromium();
  let started = false;
  if (!process.env.KAFKA_BROKERS && !dockerLikely() && !(await portOpen('127.0.0.1', 9092))) {
    const r = spawnSync('bash', [script, 'start'], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
    started = true;
  }
  const stop = () => {
    if (started) {
      started = false;
      spawnSync('bash', [script, 'stop'], { stdio: 'inherit' });
    }
  };
  const child = spawn(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => child.kill(sig));
  }
  child.on('exit', (code, signal) => {
    stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
