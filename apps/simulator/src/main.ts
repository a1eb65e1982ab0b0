import { issueToken } from '@onestop/http';
import { toVnDate } from '@onestop/domain';
import { USAGE, parseSimulatorArgs } from './cli/args';
import { communeProcedures, pickUnits } from './simulation/plan';
import { simulate, type SimulationProgress } from './simulation/simulator';

/** `npm run simulate -- --help`: realistic dossier traffic through the running services, with progress. */
async function main(argv: string[]): Promise<number> {
  let args;
  let units;
  try {
    args = parseSimulatorArgs(argv);
    units = pickUnits(args.provinces, args.unitsPerProvince, toVnDate(Date.now()));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 64;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  for (const [name, base] of Object.entries(args.urls)) {
    const ok = await fetch(`${base}/health/ready`).then((r) => r.status === 200, () => false);
    if (!ok) {
      process.stderr.write(`[simulate] the ${name} service is not ready at ${base} (start the system with npm start, or pass --${name}-url)\n`);
      return 69;
    }
  }
  const tokenFor = (unitId: string) => issueToken(args.jwt, { officerId: `sim-${unitId}`, name: 'Cán bộ mô phỏng', unitId, roles: ['officer'] }, 12 * 3600);
  const total = args.durationMs === null ? String(args.dossiers) : `${args.durationMs / 1000} s`;
  process.stderr.write(`[simulate] seed ${args.seed}: ${total} at ${args.rate}/s over ${units.length} commune one-stop units of province(s) ${args.provinces.join(', ')}\n`);

  const stop = new Promise<void>((resolve) =>
    process.once('SIGINT', () => {
      process.stderr.write('\n[simulate] stopping: no new dossiers; waiting for those in flight (Ctrl-C again to abort)\n');
      process.once('SIGINT', () => process.exit(130));
      resolve();
    }),
  );
  const tty = process.stderr.isTTY;
  const show = (p: SimulationProgress) => {
    const o = p.byOutcome;
    const line = `[simulate] ${(p.elapsedMs / 1000).toFixed(0)} s  started ${p.started}  done ${p.finished} (resolved ${o.RESOLVED}, open ${o.OPEN}, refused ${o.REFUSED}, withdrawn ${o.WITHDRAWN}, rejected at intake ${o.INTAKE_REJECTED})  in flight ${p.inFlight}  failed ${p.failed}`;
    process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
  };
  const report = await simulate({
    ...args,
    units,
    procedures: communeProcedures(),
    tokenFor,
    onProgress: show,
    stopSignal: stop,
  });
  if (tty) process.stderr.write('\n');
  for (const f of report.failures.slice(0, 10)) process.stderr.write(`[simulate] failed #${f.seq} at ${f.unitCode}: ${f.message}\n`);
  process.stdout.write(`${JSON.stringify({ ...report, seed: args.seed }, null, 2)}\n`);
  return report.failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[simulate] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
