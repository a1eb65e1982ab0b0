// OneStop Pulse dashboard: vanilla ES module, no framework, no build step.
import { STORAGE_KEY, formatters, initialLang, translator } from './i18n.js';
import { isPeriodKey, parsePeriod, periodKey, periodLabel, vnToday } from './period.js';

const NATION = 'VN';
/** Live updates are applied to the page at most this often (≤ 10 per second). */
const RENDER_INTERVAL_MS = 100;
/** Full re-fetch (gauges, freshness, ranking) after live changes, at most this often. */
const REFETCH_INTERVAL_MS = 1000;
/** One more re-fetch this long after the last live change: the service caches gauges ≤ 1 s, freshness ≤ 0.5 s. */
// Re-fetches after the last live change: the statistics service answers in-progress gauges from a cache that may
// be up to 5 s old while it refreshes them (stale-while-revalidate), so a second settle re-fetch after that bound
// makes the page converge on the committed state without waiting for the periodic refresh.
const SETTLE_REFETCH_MS = [1500, 6500];
/** Gauges (in progress in time / overdue) change with the clock alone: refresh this often without events. */
const PERIODIC_REFRESH_MS = 30_000;
/**
 * The live feed is stale (shown as such, then reconnected) when neither a change nor a heartbeat arrived for this many
 * heartbeat intervals; the interval is the one the service announces in its `heartbeat` events (ADR 0414). A feed
 * that sends no heartbeat (STATS_SSE_HEARTBEAT_SECONDS=0, an older service) is never called stale.
 */
const STALE_AFTER_HEARTBEATS = 2;
/** Slack on top of the stale threshold (ms): timers and the network are not exact. */
const STALE_SLACK_MS = 500;
/** Screen-reader announcements of live updates, at most this often. */
const ANNOUNCE_INTERVAL_MS = 10_000;

const $ = (sel) => document.querySelector(sel);

/** Unit ids the statistics service answers for: codes (`01`, `00004`, `01.TTPV`) and administrative unit ids (`00004@pre2025`). */
const UNIT_ID = /^[\w.-]{1,64}(@(pre2025|2025))?$/;

const params = new URLSearchParams(location.search);
const state = {
  lang: initialLang(location.search, safeStorage()),
  unit: UNIT_ID.test(params.get('unit') ?? '') ? params.get('unit') : NATION,
  // a period the link names but that is not a real one (M2026-13, garbage): the current month, and say so
  period: parsePeriod(isPeriodKey(params.get('period')) ? params.get('period') : undefined),
  /** The invalid period of the link (shown in a notice until the operator picks a period), else null. */
  invalidPeriod: invalidPeriodOf(params.get('period')),
  /** The link's `unit` when it is given but not a unit id (the page then shows the nation), else null. */
  invalidUnit: invalidUnitOf(params.get('unit')),
  /** A pre-2025 unit the statistics service has no figures for: shown as not tracked instead of zeros. */
  untracked: false,
  /** Where the statistics service says an ended unit's dossiers are counted ({ unitId, name }), else null. */
  countedUnder: null,
  units: {},
  indicators: null,
  children: [],
  ranking: new Map(),
  freshness: null,
  error: null,
  liveUpdates: 0,
};
let t = translator(state.lang);
let fmt = formatters(state.lang);
let loadSeq = 0;
let source = null;

/** The link's `unit` when it is given but cannot be a unit id (markup, spaces, …): the nation is shown instead. */
function invalidUnitOf(value) {
  return value !== null && value !== '' && !UNIT_ID.test(value) ? value : null;
}

/** The link's `period` when it is given but not a real period key (the page then shows the current month). */
function invalidPeriodOf(value) {
  return value !== null && !isPeriodKey(value) ? value : null;
}

/**
 * A unit of the pre-2025 hierarchy (`00013@pre2025`). The statistics service counts history on the 2025 map
 * (ADR 0206): nothing is ever counted under these ids, so its zeros for them mean "not tracked", not "no dossiers".
 */
function isPre2025(id) {
  // a bare code only the pre-2025 map had (`00013`, Quán Thánh) names that unit too
  return /@pre2025$/.test(id) || state.units[id]?.e === 'pre2025' || (!state.units[id] && state.units[`${id}@pre2025`] !== undefined);
}

/** Whether an indicators answer holds any figure (a count or a gauge above zero). */
function hasFigures(d) {
  const positive = (o) => Object.values(o ?? {}).some((v) => Number(v) > 0);
  return positive(d?.counts) || positive(d?.gauges);
}

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

// ---------- names ----------

/**
 * The /units.json entry of a unit id the service accepts: a code in force (`00004`), an administrative unit id of
 * either era (`00004@2025`, `00004@pre2025`), or a bare code only the pre-2025 map had (`00013`).
 */
function entryOf(id) {
  return state.units[id] ?? state.units[id.replace(/@2025$/, '')] ?? state.units[`${id}@pre2025`];
}

function nameOf(id) {
  // the nation is "Toàn quốc" / "Whole country" everywhere: heading, breadcrumb and selector alike
  if (id === NATION) return t('unit.nation');
  const u = entryOf(id);
  if (u) return u.n;
  const m = /^(\d{5})\.[A-Z]+$/.exec(id);
  if (m && state.units[m[1]]) return t('onestop.commune', { name: state.units[m[1]].n });
  return id === NATION ? t('unit.nation') : id;
}

function parentOf(id) {
  if (id === NATION) return null;
  const u = entryOf(id);
  if (u) return u.p;
  const commune = /^(\d{5})\./.exec(id);
  if (commune) return commune[1];
  const province = /^(\d{2})\./.exec(id);
  if (province) return province[1];
  return NATION;
}

function pathOf(id) {
  const out = [];
  for (let cur = id, guard = 0; cur && guard < 8; cur = parentOf(cur), guard++) out.unshift(cur);
  if (out[0] !== NATION) out.unshift(NATION);
  return out;
}

// ---------- values ----------

function num(counts, ...keys) {
  return keys.reduce((s, k) => s + (Number(counts?.[k]) || 0), 0);
}

function has(counts, ...keys) {
  return keys.some((k) => counts && counts[k] !== undefined);
}

const ratio = (a, b) => (b > 0 ? a / b : null);

/** Every figure shown, from the API's { counts, rates, gauges } (rates missing from the API are derived). */
function figures(d) {
  const c = d?.counts ?? {};
  const r = d?.rates ?? {};
  const g = d?.gauges ?? {};
  const rated = {
    ratingVerySatisfied: num(c, 'ratingVerySatisfied', 'ratedVerySatisfied'),
    ratingSatisfied: num(c, 'ratingSatisfied', 'ratedSatisfied'),
    ratingDissatisfied: num(c, 'ratingDissatisfied', 'ratedDissatisfied'),
  };
  const ratings = rated.ratingVerySatisfied + rated.ratingSatisfied + rated.ratingDissatisfied;
  const resolved = num(c, 'resolved');
  const received = num(c, 'received');
  const lateRate = ratio(num(c, 'resolvedLate'), resolved);
  const dissatisfiedRate = ratio(rated.ratingDissatisfied, ratings);
  const rate = (key, derive) => (r[key] !== undefined && r[key] !== null ? r[key] : derive());
  return {
    received,
    receivedOnline: num(c, 'receivedOnline'),
    receivedDirect: num(c, 'receivedDirect'),
    receivedPostal: num(c, 'receivedPostal'),
    onlineRate: rate('onlineRate', () => ratio(num(c, 'receivedOnline'), received)),
    resolved,
    resolvedEarly: num(c, 'resolvedEarly'),
    resolvedOnTime: num(c, 'resolvedOnTime'),
    resolvedLate: num(c, 'resolvedLate'),
    onTimeRate: rate('onTimeRate', () => ratio(num(c, 'resolvedEarly', 'resolvedOnTime'), resolved)),
    inProgress: g.inProgress ?? null,
    inProgressInTime: g.inProgressInTime ?? null,
    inProgressOverdue: g.inProgressOverdue ?? null,
    dueSoon: g.dueSoon ?? null,
    paused: g.paused ?? null,
    digitisedRate: rate('digitisedRate', () => (has(c, 'digitised') ? ratio(num(c, 'digitised'), received) : null)),
    eResultRate: rate('eResultRate', () => (has(c, 'eResultRequired') ? ratio(num(c, 'eResult'), num(c, 'eResultRequired')) : null)),
    onlinePaymentRate: rate('onlinePaymentRate', () => (has(c, 'feeBearing') ? ratio(num(c, 'paidOnline'), num(c, 'feeBearing')) : null)),
    ...rated,
    ratings,
    satisfaction: rate('satisfaction', () => (lateRate === null && dissatisfiedRate === null ? null : Math.max(0, 1 - (lateRate ?? 0) - (dissatisfiedRate ?? 0)))),
  };
}

const RATE_KEYS = new Set(['onlineRate', 'onTimeRate', 'digitisedRate', 'eResultRate', 'onlinePaymentRate', 'satisfaction']);

function show(el, key, value) {
  const none = value === null || value === undefined || Number.isNaN(value);
  const text = none ? t('value.none') : RATE_KEYS.has(key) ? fmt.pct(value) : fmt.int(value);
  if (el.textContent !== text) el.textContent = text;
  if (none) el.title = t('value.noneTitle');
  else el.removeAttribute('title');
}

// ---------- rendering ----------

function applyStaticTexts() {
  document.documentElement.lang = state.lang;
  document.title = t('doc.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('#lang').value = state.lang;
}

function renderUnitSelect() {
  const sel = $('#unit');
  const provinces = Object.entries(state.units)
    .filter(([, u]) => u.l === 'province' && !u.e)
    .sort((a, b) => a[1].n.replace(/^(Tỉnh|Thành phố) /, '').localeCompare(b[1].n.replace(/^(Tỉnh|Thành phố) /, ''), 'vi'));
  const options = [[NATION, t('unit.nation')], ...provinces.map(([id, u]) => [id, u.n])];
  const path = pathOf(state.unit);
  const current = path[1] ?? NATION;
  if (!options.some(([id]) => id === current)) options.push([current, nameOf(current)]);
  sel.replaceChildren(...options.map(([id, n]) => new Option(n, id, false, id === current)));
}

function renderPeriodControls() {
  const p = state.period;
  $('#granularity').value = p.g;
  $('#period-day').value = p.day;
  $('#period-month').value = p.month;
  $('#period-quarter').value = String(p.quarter);
  $('#period-year').value = String(p.year);
  for (const opt of $('#period-quarter').options) opt.textContent = t('period.quarterN', { n: opt.value });
  for (const f of document.querySelectorAll('[data-for]')) f.hidden = !f.dataset.for.split(' ').includes(p.g);
}

function renderHeader() {
  const key = periodKey(state.period);
  $('#unit-heading').textContent = t('heading.unit', { unit: nameOf(state.unit), period: periodLabel(key, t, fmt) });
  const ol = $('#breadcrumb');
  const path = pathOf(state.unit);
  ol.replaceChildren(
    ...path.map((id, i) => {
      const li = document.createElement('li');
      if (i === path.length - 1) {
        const span = document.createElement('span');
        span.setAttribute('aria-current', 'page');
        span.textContent = id === NATION ? t('unit.nation') : nameOf(id);
        li.append(span);
      } else {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'link';
        b.dataset.unit = id;
        b.textContent = id === NATION ? t('unit.nation') : nameOf(id);
        li.append(b);
      }
      return li;
    }),
  );
  const base = `/api/v1/units/${encodeURIComponent(state.unit)}/report?period=${encodeURIComponent(key)}`;
  $('#download-csv').href = `${base}&format=csv`;
  $('#download-xlsx').href = `${base}&format=xlsx`;
}

function renderFreshness() {
  const f = state.freshness;
  const el = $('#freshness');
  if (!f) {
    // after a failed load nothing is loading any more: the error says why
    el.textContent = state.error ? t('fresh.none') : t('fresh.loading');
    return;
  }
  const lag = f.consumerLag === null || f.consumerLag === undefined ? t('fresh.lagUnknown') : t('fresh.lag', { n: fmt.int(f.consumerLag) });
  const last = f.lastEventAt ? t('fresh.last', { at: fmt.dateTime(f.lastEventAt) }) : t('fresh.noEvent');
  el.textContent = `${t('fresh.text', { asOf: fmt.dateTime(f.asOf ?? new Date().toISOString()), lag })} · ${last}`;
  el.dataset.lag = String(f.consumerLag ?? '');
}

function renderIndicators() {
  const f = figures(state.indicators);
  for (const el of document.querySelectorAll('#indicators [data-metric]')) show(el, el.dataset.metric, state.indicators ? f[el.dataset.metric] : null);
  const bar = $('#rating-bar');
  const total = f.ratings || 1;
  bar.children[0].style.width = `${(100 * f.ratingVerySatisfied) / total}%`;
  bar.children[1].style.width = `${(100 * f.ratingSatisfied) / total}%`;
  bar.children[2].style.width = `${(100 * f.ratingDissatisfied) / total}%`;
  $('#indicators').setAttribute('aria-busy', state.indicators || state.untracked || state.error ? 'false' : 'true');
  renderGaugesAsOf();
}

/**
 * The instant of the in-progress gauges (the service's gaugesAsOf): the end of a period that has ended (the report's
 * numbers), else live. Without it the page would not say which instant "in progress" refers to.
 */
function renderGaugesAsOf() {
  const el = $('#gauges-asof');
  const at = state.indicators?.gaugesAsOf;
  if (!at) {
    el.textContent = '';
    delete el.dataset.asOf;
    return;
  }
  const ended = Date.parse(at) < Date.now() - 60_000;
  // an ended period's gaugesAsOf is its exclusive end (00:00 of the next day): show its last second, the day the
  // figures belong to (a dossier due on 30/11 is still in time at the end of November, ADR 0412)
  const shown = ended ? new Date(Date.parse(at) - 1000).toISOString() : at;
  el.textContent = t(ended ? 'gauges.end' : 'gauges.live', { at: fmt.dateTime(shown) });
  el.dataset.asOf = at;
  el.dataset.live = String(!ended);
}

function renderChildren() {
  const rows = [...state.children].sort((a, b) => {
    const ra = state.ranking.get(a.unitId) ?? Number.MAX_SAFE_INTEGER;
    const rb = state.ranking.get(b.unitId) ?? Number.MAX_SAFE_INTEGER;
    if (ra !== rb) return ra - rb;
    const oa = a.gauges?.inProgressOverdue ?? 0;
    const ob = b.gauges?.inProgressOverdue ?? 0;
    return ob - oa || String(a.unitId).localeCompare(String(b.unitId));
  });
  const tbody = $('#children tbody');
  tbody.replaceChildren(
    ...rows.map((child, i) => {
      const f = figures(child);
      const tr = document.createElement('tr');
      tr.dataset.unit = child.unitId;
      const rank = document.createElement('td');
      rank.textContent = fmt.int(state.ranking.get(child.unitId) ?? i + 1);
      const name = document.createElement('th');
      name.scope = 'row';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.dataset.unit = child.unitId;
      b.textContent = nameOf(child.unitId);
      b.title = t('drill.title', { unit: nameOf(child.unitId) });
      name.append(b);
      tr.append(rank, name);
      for (const key of ['received', 'onlineRate', 'resolved', 'onTimeRate', 'inProgressInTime', 'inProgressOverdue']) {
        const td = document.createElement('td');
        td.className = 'num';
        td.dataset.metric = key;
        if (key === 'inProgressOverdue' && (f[key] ?? 0) > 0) td.classList.add('warn');
        show(td, key, f[key]);
        tr.append(td);
      }
      return tr;
    }),
  );
  $('#children-empty').hidden = rows.length > 0;
}

/** Notices about what is shown: the link's period was invalid (the current month instead), a pre-2025 unit is not tracked. */
function renderNotice() {
  const el = $('#notice');
  const lines = [];
  if (state.invalidUnit !== null) {
    // black-box round 10: `?unit=<script>` showed the nation without a word
    const unit = state.invalidUnit.length > 40 ? `${state.invalidUnit.slice(0, 40)}…` : state.invalidUnit;
    lines.push(['unit', t('notice.unit', { unit, fallback: t('unit.nation') })]);
  }
  if (state.invalidPeriod !== null) {
    const period = state.invalidPeriod.length > 40 ? `${state.invalidPeriod.slice(0, 40)}…` : state.invalidPeriod;
    lines.push(['period', t('notice.period', { period, fallback: periodLabel(periodKey(state.period), t, fmt) })]);
  }
  if (state.untracked) {
    const c = state.countedUnder;
    const where = c ? ` ${t('notice.countedUnder', { name: c.name, code: c.unitId })}` : '';
    lines.push(['pre2025', t('notice.pre2025', { unit: nameOf(state.unit) }) + where]);
  }
  el.replaceChildren(
    ...lines.map(([kind, text]) => {
      const p = document.createElement('p');
      p.dataset.notice = kind;
      p.textContent = text;
      return p;
    }),
  );
  el.hidden = lines.length === 0;
}

/**
 * The page's own message for a failed load, in the UI language (the services answer in English): unknown unit
 * (404 naming unitId), invalid period / request (400), service unavailable (5xx, network). The service's detail
 * is kept as secondary text, in the title attribute.
 */
function renderError() {
  const el = $('#error');
  const e = state.error;
  if (!e) {
    el.hidden = true;
    el.textContent = '';
    el.removeAttribute('title');
    delete el.dataset.status;
    delete el.dataset.error;
    return;
  }
  el.hidden = false;
  el.textContent = `${t('error.title')}: ${t(e.key, { unit: nameOf(state.unit), status: e.status })}`;
  if (e.status === 0) el.title = t('error.detailNetwork');
  else if (e.detail) el.title = t('error.detail', { status: e.status, detail: e.detail });
  else el.removeAttribute('title');
  el.dataset.status = String(e.status);
  el.dataset.error = e.key;
}

function renderAll() {
  applyStaticTexts();
  renderUnitSelect();
  renderPeriodControls();
  renderHeader();
  renderFreshness();
  renderIndicators();
  renderChildren();
  renderNotice();
  renderError();
  renderLiveStatus();
}

// ---------- data ----------

/** A failed API call: the HTTP status (0: no answer), the service's detail and the fields its problem names. */
class LoadError extends Error {
  constructor(status, detail, fields = []) {
    super(`${status} ${detail}`.trim());
    this.name = 'LoadError';
    this.status = status;
    this.detail = detail;
    this.fields = fields;
  }
}

async function getJson(url) {
  let res;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (err) {
    throw new LoadError(0, err instanceof Error ? err.message : String(err));
  }
  const type = res.headers.get('content-type') ?? '';
  const body = await (type.includes('json') ? res.json() : res.text()).catch(() => '');
  if (!res.ok) {
    const problem = typeof body === 'object' && body ? body : null;
    const detail = problem ? String(problem.detail || problem.title || '') : String(body).slice(0, 200);
    const fields = Array.isArray(problem?.errors) ? problem.errors.map((e) => e?.field).filter((f) => typeof f === 'string') : [];
    throw new LoadError(res.status, detail, fields);
  }
  return body;
}

/** The message key of a failed load, with its status and the service's detail (kept as secondary text). */
function describeError(err) {
  if (!(err instanceof LoadError)) return { key: 'error.unexpected', status: '—', detail: err instanceof Error ? err.message : String(err) };
  const { status, detail, fields } = err;
  if (status === 0 || status >= 500) return { key: 'error.unavailable', status, detail };
  if (status === 404) return { key: fields.includes('unitId') ? 'error.unknownUnit' : 'error.notFound', status, detail };
  if (status === 400) return { key: fields.includes('period') ? 'error.badPeriod' : 'error.badRequest', status, detail };
  return { key: 'error.unexpected', status, detail };
}

async function load() {
  const seq = ++loadSeq;
  const unit = encodeURIComponent(state.unit);
  const period = encodeURIComponent(periodKey(state.period));
  try {
    const [ind, kids, rank] = await Promise.all([
      getJson(`/api/v1/units/${unit}/indicators?period=${period}`),
      getJson(`/api/v1/units/${unit}/children?period=${period}`),
      getJson(`/api/v1/units/${unit}/rankings?period=${period}&metric=inProgressOverdue&order=desc&limit=1000`),
    ]);
    if (seq !== loadSeq) return;
    // the service names the unit in force an ended unit's dossiers are counted under (`countedUnder`)
    state.countedUnder = ind.data?.countedUnder ?? null;
    state.untracked = (isPre2025(state.unit) || state.countedUnder !== null) && !hasFigures(ind.data);
    state.indicators = state.untracked ? null : ind.data;
    state.children = kids.data ?? [];
    state.ranking = new Map((rank.data?.ranking ?? []).map((r) => [r.unitId, r.rank]));
    state.freshness = ind.freshness ?? null;
    state.error = null;
    // nothing is ever counted under a pre-2025 unit: no live feed to wait for
    if (state.untracked) stopLive();
    else if (liveState === 'off') connectLive(); // the unit is known now (e.g. counted since): live again
  } catch (err) {
    if (seq !== loadSeq) return;
    state.error = describeError(err);
    // an unknown unit or an invalid query stays so: the live feed would be refused for ever, do not retry it
    if (typeof state.error.status === 'number' && state.error.status >= 400 && state.error.status < 500) stopLive();
  }
  renderIndicators();
  renderChildren();
  renderFreshness();
  renderNotice();
  renderError();
  document.body.dataset.loaded = String(seq);
}

// ---------- live (Server-Sent Events) ----------

let pending = [];
let renderTimer = null;
let lastRender = 0;
let refetchTimer = null;
let lastRefetch = 0;
let lastAnnounce = 0;
let settleTimers = [];
let liveState = 'connecting';
let reconnectTimer;
let reconnectDelay = 1000;
/** Heartbeat interval announced by the service (ms), null until a heartbeat arrived on the current stream. */
let heartbeatMs = null;
let staleTimer = null;
/**
 * The last heartbeat said the statistics service takes in no events (its broker unreachable, its consumer not in
 * its group): `{ lastFetchAt }`; null when it does, or says nothing (ADR 0414 amendment). The stream is alive, the
 * figures are not: "receiving updates" would be untrue.
 */
let ingestDown = null;

const LIVE_TEXT = { open: 'live.open', closed: 'live.closed', stale: 'live.stale', connecting: 'live.connecting', off: 'live.off', degraded: 'live.degraded' };

function renderLiveStatus() {
  const el = $('#live-status');
  el.dataset.state = liveState;
  if (liveState === 'degraded') {
    const at = ingestDown?.lastFetchAt;
    el.textContent = at ? t('live.degraded', { at: fmt.dateTime(at) }) : t('live.degradedNever');
    return;
  }
  el.textContent = t(LIVE_TEXT[liveState] ?? 'live.connecting');
}

/** A change or a heartbeat arrived on `es`: the stream is alive; it is stale if nothing follows within 2 intervals. */
function liveSignal(es) {
  if (source !== es) return;
  const next = ingestDown ? 'degraded' : 'open';
  if (liveState !== next || next === 'degraded') {
    liveState = next;
    renderLiveStatus();
  }
  clearTimeout(staleTimer);
  if (heartbeatMs === null) return;
  staleTimer = setTimeout(() => {
    if (source !== es) return;
    // neither a change nor a heartbeat for ~2 intervals: a dead stream (cut by a proxy, a half-open connection) that
    // the EventSource does not notice by itself. Say so, and reconnect (with back-off) until a stream answers.
    es.close();
    liveState = 'stale';
    renderLiveStatus();
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => {
      if (source === es) connectLive(true);
    }, reconnectDelay);
    reconnectDelay = Math.min(30_000, reconnectDelay * 2);
  }, STALE_AFTER_HEARTBEATS * heartbeatMs + STALE_SLACK_MS);
}

function onHeartbeat(es, ev) {
  try {
    const beat = JSON.parse(ev.data);
    const seconds = Number(beat?.intervalSeconds);
    heartbeatMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
    if (source === es) ingestDown = beat?.ingest?.degraded === true ? { lastFetchAt: typeof beat.ingest.lastFetchAt === 'string' ? beat.ingest.lastFetchAt : null } : null;
  } catch {
    // not a JSON heartbeat: still a sign of life
  }
  liveSignal(es);
}

function applyPending() {
  renderTimer = null;
  lastRender = Date.now();
  const key = periodKey(state.period);
  const changes = pending;
  pending = [];
  const byUnit = new Map(state.children.map((c) => [c.unitId, c]));
  let touched = false;
  for (const ch of changes) {
    if (ch.period !== key || typeof ch.value !== 'number') continue;
    const target = ch.unitId === state.unit ? state.indicators : byUnit.get(ch.unitId);
    if (target) {
      target.counts = { ...(target.counts ?? {}), [ch.metric]: ch.value };
      target.rates = {}; // derived again from the patched counts until the next full fetch
      touched = true;
    }
    if (ch.lastEventAt && state.freshness && (!state.freshness.lastEventAt || ch.lastEventAt > state.freshness.lastEventAt)) {
      state.freshness = { ...state.freshness, lastEventAt: ch.lastEventAt, asOf: ch.committedAt ?? new Date().toISOString() };
    }
  }
  state.liveUpdates++;
  document.body.dataset.liveUpdates = String(state.liveUpdates);
  if (touched) {
    renderIndicators();
    renderChildren();
  }
  renderFreshness();
  if (Date.now() - lastAnnounce > ANNOUNCE_INTERVAL_MS) {
    lastAnnounce = Date.now();
    $('#announcer').textContent = t('live.announce', { at: fmt.dateTime(new Date().toISOString()) });
  }
  scheduleRefetch();
  for (const t of settleTimers) clearTimeout(t);
  settleTimers = SETTLE_REFETCH_MS.map((ms) => setTimeout(() => void load(), ms));
}

function scheduleRender() {
  if (renderTimer !== null) return;
  renderTimer = setTimeout(applyPending, Math.max(0, RENDER_INTERVAL_MS - (Date.now() - lastRender)));
}

function scheduleRefetch() {
  if (refetchTimer !== null) return;
  refetchTimer = setTimeout(
    () => {
      refetchTimer = null;
      lastRefetch = Date.now();
      void load();
    },
    Math.max(0, REFETCH_INTERVAL_MS - (Date.now() - lastRefetch)),
  );
}

function onLiveMessage(es, ev) {
  if (source === es) ingestDown = null; // a change was counted: the service takes in events again
  liveSignal(es);
  try {
    const msg = JSON.parse(ev.data);
    const changes = Array.isArray(msg?.changes) ? msg.changes : [];
    if (changes.length === 0) return;
    pending.push(...changes);
    scheduleRender();
  } catch {
    // not a JSON change message: ignore
  }
}

/** Closes the live feed for good (until the next navigation): the service refused the unit or the query, or has nothing to stream. */
function stopLive() {
  clearTimeout(reconnectTimer);
  clearTimeout(staleTimer);
  source?.close();
  source = null;
  heartbeatMs = null;
  ingestDown = null;
  liveState = 'off';
  renderLiveStatus();
}

/** Opens the live feed of the unit and period shown; `stale`: keep saying the feed is stale until a stream opens. */
function connectLive(stale = false) {
  clearTimeout(reconnectTimer);
  clearTimeout(staleTimer);
  source?.close();
  heartbeatMs = null;
  ingestDown = null;
  liveState = stale ? 'stale' : 'connecting';
  renderLiveStatus();
  if (typeof EventSource === 'undefined') return;
  const url = `/api/v1/units/${encodeURIComponent(state.unit)}/live?period=${encodeURIComponent(periodKey(state.period))}`;
  const es = new EventSource(url);
  source = es;
  es.addEventListener('open', () => {
    if (source !== es) return;
    reconnectDelay = 1000;
    liveSignal(es);
    // changes committed while disconnected are not replayed: catch up with one fetch
    scheduleRefetch();
  });
  es.addEventListener('error', () => {
    if (source !== es) return;
    clearTimeout(staleTimer);
    liveState = 'closed';
    renderLiveStatus();
    // EventSource retries by itself after a dropped stream, but gives up for good on a non-stream answer
    // (e.g. the proxy's 502 while the statistics service restarts): reconnect ourselves, with back-off.
    if (es.readyState === EventSource.CLOSED) {
      clearTimeout(reconnectTimer);
      reconnectDelay = Math.min(30_000, reconnectDelay * 2);
      reconnectTimer = setTimeout(() => {
        if (source === es) connectLive();
      }, reconnectDelay);
    }
  });
  es.addEventListener('indicators', (ev) => onLiveMessage(es, ev));
  es.addEventListener('message', (ev) => onLiveMessage(es, ev));
  es.addEventListener('heartbeat', (ev) => onHeartbeat(es, ev));
}

// ---------- navigation ----------

function syncUrl(push) {
  const q = new URLSearchParams(location.search);
  q.set('unit', state.unit);
  q.set('period', periodKey(state.period));
  q.set('lang', state.lang);
  const url = `${location.pathname}?${q.toString()}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function navigate(patch, push = true) {
  state.invalidPeriod = null;
  state.invalidUnit = null;
  state.untracked = false;
  state.countedUnder = null;
  Object.assign(state, patch);
  state.indicators = null;
  state.children = [];
  state.ranking = new Map();
  state.freshness = null;
  syncUrl(push);
  renderAll();
  connectLive();
  void load();
}

function setLang(lang) {
  state.lang = lang;
  try {
    safeStorage()?.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled
  }
  t = translator(lang);
  fmt = formatters(lang);
  syncUrl(false);
  renderAll();
}

function readPeriodControls() {
  const p = { ...state.period, g: $('#granularity').value };
  const day = $('#period-day').value;
  const month = $('#period-month').value;
  const year = Number($('#period-year').value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(day)) p.day = day;
  if (/^\d{4}-\d{2}$/.test(month)) p.month = month;
  if (Number.isInteger(year) && year >= 2000 && year <= 2100) p.year = year;
  p.quarter = Number($('#period-quarter').value) || p.quarter;
  return p;
}

function wire() {
  $('#lang').addEventListener('change', (e) => setLang(e.target.value));
  $('#unit').addEventListener('change', (e) => navigate({ unit: e.target.value }));
  $('#controls').addEventListener('submit', (e) => e.preventDefault());
  for (const id of ['#granularity', '#period-day', '#period-month', '#period-quarter', '#period-year']) {
    $(id).addEventListener('change', () => {
      const next = readPeriodControls();
      if (periodKey(next) !== periodKey(state.period) || next.g !== state.period.g) navigate({ period: next });
    });
  }
  document.addEventListener('click', (e) => {
    const b = e.target instanceof Element ? e.target.closest('button[data-unit]') : null;
    if (!b) return;
    navigate({ unit: b.dataset.unit });
    // the button pressed (a row of the table, a breadcrumb link) is gone with the re-render: keyboard and screen-reader
    // users continue from the new unit's heading instead of the top of the page
    $('#unit-heading').focus();
  });
  window.addEventListener('popstate', () => {
    const q = new URLSearchParams(location.search);
    navigate(
      {
        unit: UNIT_ID.test(q.get('unit') ?? '') ? q.get('unit') : NATION,
        period: parsePeriod(q.get('period') ?? undefined, vnToday()),
        invalidPeriod: invalidPeriodOf(q.get('period')),
        invalidUnit: invalidUnitOf(q.get('unit')),
      },
      false,
    );
  });
}

async function start() {
  wire();
  syncUrl(false);
  renderAll();
  connectLive();
  const names = fetch('/units.json')
    .then((r) => (r.ok ? r.json() : { units: {} }))
    .then((j) => {
      state.units = j.units ?? {};
      renderUnitSelect();
      renderHeader();
      renderChildren();
      renderNotice();
      renderError();
    })
    .catch(() => undefined);
  await Promise.all([names, load()]);
  setInterval(() => {
    if (document.visibilityState === 'visible') void load();
  }, PERIODIC_REFRESH_MS);
}

void start();
