import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { problemClientErrorHandler } from '@onestop/http';
import { type DashboardConfig } from '../config/dashboard.config';

/** Content types of the files the static page may contain; anything else is not served. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** Upstream response headers passed through to the browser. */
const FORWARDED_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'x-last-event-at',
  'x-consumer-lag',
  'x-consumer-lag-as-of',
  'x-report-cutoff',
  'x-correlation-id',
  'last-modified',
  'etag',
];

/** Problem types of the dashboard's own errors: the same base as the services' (`@onestop/http`). */
export const PROBLEM_TYPE_BASE = 'https://onestop-pulse.example/problems/';

/** A proxied problem+json body larger than this is passed through as it is (its `instance` not rewritten). */
const MAX_PROBLEM_BYTES = 64 * 1024;

/**
 * An upstream problem+json body with `instance` set to the path the browser requested (`/api/v1/…?…`), not the
 * upstream's (`/v1/…`); undefined when the body is not a JSON object (then it is passed through unchanged).
 */
export function rewriteProblemInstance(body: Buffer, instance: string): Buffer | undefined {
  try {
    const p: unknown = JSON.parse(body.toString('utf8'));
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return undefined;
    return Buffer.from(JSON.stringify({ ...p, instance }), 'utf8');
  } catch {
    return undefined;
  }
}

export interface DashboardLog {
  info(msg: Record<string, unknown>): void;
  warn(msg: Record<string, unknown>): void;
}

export interface DashboardServerOptions {
  config: DashboardConfig;
  /** Serialised /units.json (built once at start). */
  unitsJson: string;
  log?: DashboardLog;
}

/** RFC 9457 problem details with the fields at fault, as the services' `@onestop/http` writes them. */
interface Problem {
  /** The slug after PROBLEM_TYPE_BASE (`not-found`), or a full URI. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}

function setSecurityHeaders(res: ServerResponse): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
}

/** RFC 9457 problem details, the same shape as the services' ProblemDetailsFilter (type under PROBLEM_TYPE_BASE). */
export function sendProblem(res: ServerResponse, p: Problem): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const type = p.type.includes(':') ? p.type : PROBLEM_TYPE_BASE + p.type;
  const body = JSON.stringify({ type, title: p.title, status: p.status, detail: p.detail, instance: p.instance, ...(p.errors ? { errors: p.errors } : {}) });
  res.statusCode = p.status;
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

const ALLOWED_METHODS = 'GET, HEAD';

/** 404 naming the path at fault. */
function notFound(pathname: string, message: string): Problem {
  return { type: 'not-found', title: 'Not found', status: 404, detail: `No such resource: ${pathname}`, instance: pathname, errors: [{ field: 'path', message }] };
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/**
 * The dashboard's HTTP server: the static page from `publicDir`, `/units.json`, `/health` and a streaming
 * reverse proxy `/api/*` → statistics service (GET/HEAD only, SSE passed through unbuffered).
 */
export function createDashboardServer(options: DashboardServerOptions): http.Server {
  const { config } = options;
  const log = options.log ?? { info: () => undefined, warn: () => undefined };
  const publicDir = path.resolve(config.publicDir);
  const units = Buffer.from(options.unitsJson, 'utf8');
  const unitsGz = gzipSync(units);
  const upstream = new URL(config.statisticsUrl);
  const client = upstream.protocol === 'https:' ? https : http;

  const proxy = (req: IncomingMessage, res: ServerResponse, pathAndQuery: string): void => {
    // Always the statistics service's origin: resolved against it, a path such as `//other-host/x` (a browser's
    // `/api//other-host/x`, or `/api/\\other-host/x` once normalised) would name ANOTHER host, and the dashboard
    // would fetch any address it can reach (internal services included) for whoever asks.
    const target = new URL(`${upstream.origin}${pathAndQuery}`);
    const accept = String(req.headers['accept'] ?? '*/*');
    const headers: Record<string, string> = { accept, 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    const corr = req.headers['x-correlation-id'];
    if (typeof corr === 'string' && /^[\w.-]{1,100}$/.test(corr)) headers['x-correlation-id'] = corr;
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string') headers['last-event-id'] = lastEventId.slice(0, 200);

    const upReq = client.request(target, { method: req.method, headers, agent: false });
    let streaming = false;
    const timer = setTimeout(() => {
      if (!streaming) upReq.destroy(new Error(`no answer within ${config.upstreamTimeoutMs} ms`));
    }, config.upstreamTimeoutMs);
    timer.unref();

    upReq.on('response', (upRes) => {
      clearTimeout(timer);
      const type = String(upRes.headers['content-type'] ?? '');
      streaming = type.startsWith('text/event-stream');
      res.statusCode = upRes.statusCode ?? 502;
      for (const h of FORWARDED_HEADERS) {
        const v = upRes.headers[h];
        if (v !== undefined) res.setHeader(h, v);
      }
      if (streaming) {
        // Server-Sent Events: no buffering anywhere (proxies included), flush the headers now, keep alive.
        res.setHeader('cache-control', 'no-cache, no-transform');
        res.setHeader('x-accel-buffering', 'no');
        res.setHeader('connection', 'keep-alive');
        res.flushHeaders();
        req.socket.setNoDelay(true);
        req.socket.setTimeout(0);
      } else if (type.startsWith('application/problem+json')) {
        // The service's problem names its own path; the browser asked for /api/…: buffer the (small) body and say so.
        const chunks: Buffer[] = [];
        let size = 0;
        let passThrough = false;
        upRes.on('data', (chunk: Buffer) => {
          if (passThrough) {
            res.write(chunk);
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
          if (size > MAX_PROBLEM_BYTES) {
            passThrough = true;
            res.write(Buffer.concat(chunks));
          }
        });
        upRes.on('end', () => {
          if (passThrough) {
            res.end();
            return;
          }
          const raw = Buffer.concat(chunks);
          const body = rewriteProblemInstance(raw, req.url ?? '/') ?? raw;
          res.setHeader('content-length', body.length);
          res.end(req.method === 'HEAD' ? undefined : body);
        });
        upRes.on('error', () => res.destroy());
        return;
      } else if (upRes.headers['content-length'] !== undefined) {
        res.setHeader('content-length', upRes.headers['content-length']);
      }
      upRes.on('data', (chunk: Buffer) => {
        if (!res.write(chunk)) {
          upRes.pause();
          res.once('drain', () => upRes.resume());
        }
      });
      upRes.on('end', () => res.end());
      upRes.on('error', () => res.destroy());
    });
    upReq.on('error', (err) => {
      clearTimeout(timer);
      log.warn({ msg: 'upstream error', path: target.pathname, error: err.message });
      sendProblem(res, {
        type: 'bad-gateway',
        title: 'Bad Gateway',
        status: 502,
        detail: `The statistics service did not answer: ${err.message}`,
        instance: req.url,
      });
    });
    // The browser went away (EventSource closed, tab closed): drop the upstream connection too.
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) upReq.destroy();
    });
    upReq.end();
  };

  const serveStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      sendProblem(res, notFound(pathname, 'malformed path (invalid %-escape)'));
      return;
    }
    const file = path.resolve(publicDir, `.${rel}`);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
    if (!file.startsWith(publicDir + path.sep) || rel.includes('\0') || type === undefined) {
      sendProblem(res, notFound(pathname, 'no such resource'));
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      sendProblem(res, notFound(pathname, 'no such resource'));
      return;
    }
    res.statusCode = 200;
    res.setHeader('content-type', type);
    res.setHeader('content-length', info.size);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('last-modified', info.mtime.toUTCString());
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const server = http.createServer((req, res) => {
    setSecurityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://dashboard.local');
    const pathname = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', ALLOWED_METHODS);
      sendProblem(res, {
        type: 'method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${req.method ?? ''} is not supported on ${pathname}: the dashboard is read-only (Allow: ${ALLOWED_METHODS})`,
        instance: pathname,
        errors: [{ field: 'method', message: `${req.method ?? ''} not allowed; use ${ALLOWED_METHODS}` }],
      });
      return;
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      proxy(req, res, (pathname.slice(4) || '/') + url.search);
      return;
    }
    if (pathname === '/health' || pathname === '/health/live') {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (pathname === '/units.json') {
      const gz = acceptsGzip(req);
      const body = gz ? unitsGz : units;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('cache-control', 'public, max-age=3600');
      res.setHeader('vary', 'accept-encoding');
      if (gz) res.setHeader('content-encoding', 'gzip');
      res.setHeader('content-length', body.length);
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    serveStatic(req, res, pathname).catch((err: unknown) => {
      log.warn({ msg: 'static file error', path: pathname, error: err instanceof Error ? err.message : String(err) });
      sendProblem(res, { type: 'internal-error', title: 'Internal server error', status: 500, detail: 'the file could not be read', instance: pathname });
    });
  });
  // Requests Node's HTTP parser refuses before the handler above sees them (a header over 16 KB: 431, a malformed
  // request line such as `BREW /x HTTP/1.1`: 400) get a problem+json too, then the connection is closed, as in the
  // services. With a 'clientError' listener Node writes no answer of its own (it sent an empty 400).
  server.on('clientError', problemClientErrorHandler);
  return server;
}
