import { StepFailedError, ServiceClient, type ServiceUrls } from './api-client';
import { runLifecycle, type UnitClients } from './lifecycle.runner';
import { planDossier, seededRandom, type DossierPlan, type Outcome, type PlanOptions } from './plan';

export interface SimulationOptions extends PlanOptions {
  urls: ServiceUrls;
  /** Bearer token of an officer of `unitCode`. */
  tokenFor: (unitCode: string) => string;
  /** Stop after this many dossiers (and/or after `durationMs`). */
  dossiers: number;
  durationMs: number | null;
  /** New dossiers started per second. */
  rate: number;
  /** Lifecycles in flight at most. */
  concurrency: number;
  seed: number;
  waitTimeoutMs: number;
  /** Called about once a second, and once at the end. */
  onProgress?: (p: SimulationProgress) => void;
  /** Resolves to stop starting new dossiers (in-flight lifecycles finish). */
  stopSignal?: Promise<void>;
}

export interface SimulationProgress {
  started: number;
  finished: number;
  failed: number;
  inFlight: number;
  elapsedMs: number;
  byOutcome: Record<Outcome, number>;
}

export interface SimulationReport extends SimulationProgress {
  byChannel: Record<string, number>;
  byUnit: Record<string, number>;
  commands: number;
  dossiersPerSecond: number;
  /** Codes of the dossiers that completed their planned lifecycle, with their plan's outcome and channel. */
  dossiers: { code: string; unitCode: string; channel: DossierPlan['channel']; outcome: Outcome; receivedAgoMs: number }[];
  failures: { seq: number; unitCode: string; step: string; message: string }[];
}

const emptyOutcomes = (): Record<Outcome, number> => ({ INTAKE_REJECTED: 0, RESOLVED: 0, OPEN: 0, REFUSED: 0, WITHDRAWN: 0 });

/**
 * Open-loop traffic: starts `rate` dossiers per second (bounded by `concurrency` in flight), each running its
 * planned lifecycle against the real services, until `dossiers` were started or `durationMs` passed.
 */
export async function simulate(o: SimulationOptions): Promise<SimulationReport> {
  if (!(o.rate > 0)) throw new Error('rate must be > 0');
  if (!(o.concurrency >= 1)) throw new Error('concurrency must be >= 1');
  const rnd = seededRandom(o.seed);
  const clients = new Map<string, UnitClients>();
  const clientsOf = (unit: string): UnitClients => {
    let c = clients.get(unit);
    if (!c) {
      const token = o.tokenFor(unit);
      c = { intake: new ServiceClient(o.urls.intake, token), processing: new ServiceClient(o.urls.processing, token), result: new ServiceClient(o.urls.result, token) };
      clients.set(unit, c);
    }
    return c;
  };
  const report: SimulationReport = {
    started: 0,
    finished: 0,
    failed: 0,
    inFlight: 0,
    elapsedMs: 0,
    byOutcome: emptyOutcomes(),
    byChannel: {},
    byUnit: {},
    commands: 0,
    dossiersPerSecond: 0,
    dossiers: [],
    failures: [],
  };
  const t0 = Date.now();
  let stopped = false;
  void o.stopSignal?.then(() => {
    stopped = true;
  });
  const progress = () => {
    report.elapsedMs = Date.now() - t0;
    o.onProgress?.({ started: report.started, finished: report.finished, failed: report.failed, inFlight: report.inFlight, elapsedMs: report.elapsedMs, byOutcome: { ...report.byOutcome } });
  };
  const ticker = setInterval(progress, 1000);
  const running = new Set<Promise<void>>();
  let slotFreed: () => void = () => undefined;

  const runOne = async (plan: DossierPlan) => {
    try {
      const r = await runLifecycle(plan, clientsOf(plan.unitCode), o.waitTimeoutMs);
      report.finished++;
      report.commands += r.commands;
      report.byOutcome[plan.outcome]++;
      report.byChannel[plan.channel] = (report.byChannel[plan.channel] ?? 0) + 1;
      report.byUnit[plan.unitCode] = (report.byUnit[plan.unitCode] ?? 0) + 1;
      report.dossiers.push({ code: r.code, unitCode: plan.unitCode, channel: plan.channel, outcome: plan.outcome, receivedAgoMs: plan.receivedAgoMs });
    } catch (err) {
      report.failed++;
      const step = err instanceof StepFailedError ? err.step : 'unexpected';
      report.failures.push({ seq: plan.seq, unitCode: plan.unitCode, step, message: (err as Error).message });
    } finally {
      report.inFlight--;
      slotFreed();
    }
  };

  try {
    const intervalMs = 1000 / o.rate;
    for (let seq = 1; seq <= o.dossiers && !stopped; seq++) {
      if (o.durationMs !== null && Date.now() - t0 >= o.durationMs) break;
      const dueAt = t0 + (seq - 1) * intervalMs;
      const wait = dueAt - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      while (report.inFlight >= o.concurrency) await new Promise<void>((r) => (slotFreed = r));
      if (stopped) break;
      const plan = planDossier(seq, rnd, o);
      report.started++;
      report.inFlight++;
      const p = runOne(plan);
      running.add(p);
      void p.finally(() => running.delete(p));
    }
    await Promise.all(running);
  } finally {
    clearInterval(ticker);
  }
  progress();
  report.dossiersPerSecond = report.finished / Math.max(0.001, report.elapsedMs / 1000);
  return report;
}
