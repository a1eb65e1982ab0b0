// Diagnostic preload for a service under benchmark: profiles the MAIN thread from start and writes the profile
// when the process receives SIGWINCH (a signal-terminated process never writes --cpu-prof's profile, and NestJS's
// shutdown hooks own SIGUSR2).
//   BENCH_SERVICE_NODE_ARGS="-r ./bench/support/cpu-profile-on-signal.cjs" CPU_PROFILE_DIR=/tmp/prof …
// A second SIGWINCH starts over (profile only a phase: signal at its start and at its end).
'use strict';
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.CPU_PROFILE_DIR ?? '/tmp';
const session = new inspector.Session();
session.connect();
const start = () => session.post('Profiler.enable', () => session.post('Profiler.start'));
start();
process.on('SIGWINCH', () => {
  session.post('Profiler.stop', (err, res) => {
    if (!err) {
      const file = path.join(dir, `main-${process.pid}-${Date.now()}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(res.profile));
      process.stderr.write(`cpu profile written: ${file}\n`);
    }
    start();
  });
});
