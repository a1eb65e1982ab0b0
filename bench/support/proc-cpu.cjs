// CPU seconds (user + system) of processes on this machine, from /proc (Linux; NaN elsewhere). Shared by the benches.
const fs = require('node:fs');

function pids() {
  try {
    return fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x));
  } catch {
    return [];
  }
}

/** Fields after the command name of /proc/<pid>/stat (field 3 of proc(5) is index 0). */
function stat(p) {
  return fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
}

const seconds = (f) => (Number(f[11]) + Number(f[12])) / 100;

/** CPU seconds a process and its live child processes (cluster workers) have used. */
function cpuSeconds(pid) {
  if (!fs.existsSync('/proc')) return NaN;
  let total = 0;
  for (const p of pids()) {
    try {
      const f = stat(p);
      if (p === String(pid) || f[1] === String(pid)) total += seconds(f);
    } catch {
      /* exited */
    }
  }
  return total;
}

/** CPU seconds of the live processes whose command line matches `re`. */
function cpuSecondsMatching(re) {
  if (!fs.existsSync('/proc')) return NaN;
  let total = 0;
  for (const p of pids()) {
    try {
      if (!re.test(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' '))) continue;
      total += seconds(stat(p));
    } catch {
      /* exited or not ours */
    }
  }
  return total;
}

/** CPU seconds of the Postgres backends serving database `db` (their process title names it). */
function pgCpuSeconds(db) {
  return cpuSecondsMatching(new RegExp(`^postgres: .* ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
}

module.exports = { cpuSeconds, cpuSecondsMatching, pgCpuSeconds };
