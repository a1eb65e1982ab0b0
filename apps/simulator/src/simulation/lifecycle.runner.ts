import { type ServiceClient } from './api-client';
import { type DossierPlan } from './plan';

export interface UnitClients {
  intake: ServiceClient;
  processing: ServiceClient;
  result: ServiceClient;
}

export interface LifecycleResult {
  code: string;
  /** Number of HTTP commands sent (waits not counted). */
  commands: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Drives one dossier through the real services over HTTP, as the counter, the officials and the result desk
 * would: intake → processing → result. Between services it waits until the next one has consumed the
 * previous step from Kafka (each service builds its own state from the events).
 */
export async function runLifecycle(plan: DossierPlan, c: UnitClients, waitTimeoutMs: number, now = Date.now()): Promise<LifecycleResult> {
  let commands = 0;
  const post = (client: ServiceClient, step: string, path: string, body: unknown) => {
    commands++;
    return client.post(step, path, body);
  };
  const receivedAt = plan.receivedAgoMs > 0 ? iso(now - plan.receivedAgoMs) : undefined;
  const base = { unitCode: plan.unitCode, procedureCode: plan.procedureCode, applicant: plan.applicant, components: plan.components };

  // 1. receipt (online: submitted on the portal, then accepted or rejected by the one-stop unit)
  let code: string;
  if (plan.channel === 'ONLINE') {
    const submittedAt = plan.receivedAgoMs > 0 ? iso(now - plan.receivedAgoMs - 20 * 60_000) : undefined;
    const sub = await post(c.intake, 'submit online', '/online-submissions', { ...base, ...(submittedAt ? { submittedAt } : {}), externalRef: `SIM-${plan.seq}-${now}` });
    code = sub.code;
    if (plan.outcome === 'INTAKE_REJECTED') {
      await post(c.intake, 'reject at intake', `/dossiers/${code}/reject`, { reason: 'Hồ sơ trực tuyến thiếu thành phần bắt buộc', ...(receivedAt ? { rejectedAt: receivedAt } : {}) });
      return { code, commands };
    }
    await post(c.intake, 'accept online', `/dossiers/${code}/accept`, receivedAt ? { receivedAt } : {});
  } else {
    const d = await post(c.intake, 'receive', '/dossiers', { channel: plan.channel, ...base, ...(receivedAt ? { receivedAt } : {}) });
    code = d.code;
  }
  const at = `/dossiers/${encodeURIComponent(code)}`;

  // 2. processing: transfer to the competent official, then the outcome
  await c.processing.waitFor('processing receives the dossier', at, (b) => b.status === 'RECEIVED', waitTimeoutMs);
  await post(c.processing, 'transfer', `${at}/transfer`, { agencyId: plan.unitCode });
  if (plan.outcome === 'OPEN') return { code, commands };
  if (plan.outcome === 'REFUSED') {
    await post(c.processing, 'refuse', `${at}/refusals`, { reason: 'Hồ sơ không đủ điều kiện theo quy định' });
    return { code, commands };
  }
  if (plan.outcome === 'WITHDRAWN') {
    await post(c.processing, 'withdraw', `${at}/withdrawals`, { requestRef: `RUT-${plan.seq}` });
    return { code, commands };
  }
  if (plan.supplement) {
    await post(c.processing, 'request supplement', `${at}/supplement-requests`, { content: 'Bổ sung bản sao giấy tờ tùy thân' });
    await c.result.waitFor('result sees the supplement request', at, (b) => b.status === 'SUPPLEMENT_REQUESTED', waitTimeoutMs);
    await post(c.processing, 'receive supplement', `${at}/supplement-receipts`, {});
  }
  if (plan.payment) {
    await c.result.waitFor('result sees the dossier in process', at, (b) => b.status === 'IN_PROCESS', waitTimeoutMs);
    await post(c.processing, 'request fee', `${at}/financial-obligations`, { feeLines: [{ code: 'LP01', name: 'Lệ phí', amount: plan.payment.amount }] });
    await c.result.waitFor('result sees the fee', at, (b) => b.status === 'AWAITING_PAYMENT', waitTimeoutMs);
    await post(c.result, 'pay', `${at}/payments`, plan.payment.online ? { method: 'ONLINE', gateway: 'NATIONAL_PORTAL' } : { method: 'CASH' });
    await c.processing.waitFor('processing sees the payment', at, (b) => b.status === 'IN_PROCESS', waitTimeoutMs);
  }

  // 3. result, hand-over, rating
  await c.result.waitFor('result sees the dossier in process', at, (b) => b.status === 'IN_PROCESS', waitTimeoutMs);
  const electronic = plan.result?.kind === 'ELECTRONIC';
  await post(
    c.result,
    'issue result',
    `${at}/result`,
    electronic ? { kind: 'ELECTRONIC', legallyValid: true, fileUrl: `https://ketqua.example.vn/${encodeURIComponent(code)}.pdf`, resultCode: `KQ-${plan.seq}` } : { kind: 'PAPER', resultCode: `KQ-${plan.seq}` },
  );
  if (plan.returnMode) {
    await post(c.result, 'return result', `${at}/return`, plan.returnMode === 'POST' ? { mode: 'POST', address: 'Địa chỉ nhận kết quả qua bưu chính' } : { mode: plan.returnMode });
  }
  if (plan.rating) await post(c.result, 'rate', `${at}/rating`, { rating: plan.rating });
  return { code, commands };
}
