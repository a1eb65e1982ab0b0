import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  Module,
  createParamDecorator,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE_KEY, PublicRoute } from '@onestop/observability';
import { ProblemException } from './problem';

/** The authenticated staff member: who acts, and for which one-stop unit / agency. */
export interface Officer {
  officerId: string;
  name: string;
  /** The unit the officer works for (one-stop unit or agency code); scoping is checked against it. */
  unitId: string;
  roles: string[];
}

export interface TokenClaims extends Officer {
  iss: string;
  iat: number;
  exp: number;
}

export interface AuthOptions {
  /** HMAC-SHA256 secret shared by the token issuer and the services (rotate by deploying a new one). */
  secret: string;
  issuer: string;
  /** Accepted clock skew in seconds. */
  leewaySeconds?: number;
  /**
   * Verified tokens remembered by the guard (bounded LRU keyed by the token string; 0 = off, default 10,000).
   * A remembered token is still rejected once it expires (same `exp` + leeway rule as `verifyToken`).
   */
  verifiedTokenCacheSize?: number;
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Issues an HS256 JWT for an officer (development and tests; production tokens come from the IdP). */
export function issueToken(
  opts: Pick<AuthOptions, 'secret' | 'issuer'>,
  officer: Officer,
  ttlSeconds = 8 * 3600,
  now = Math.floor(Date.now() / 1000),
): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims: TokenClaims = { ...officer, iss: opts.issuer, iat: now, exp: now + ttlSeconds };
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', opts.secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${sig}`;
}

/** Verifies signature, issuer, expiry and claim shape; throws a 401 problem naming what is wrong. */
export function verifyToken(opts: AuthOptions, token: string, now = Math.floor(Date.now() / 1000)): Officer {
  return verifyTokenClaims(opts, token, now).officer;
}

const unauthorizedProblem = (detail: string) =>
  new ProblemException(401, 'unauthorized', 'Unauthorized', detail, [{ field: 'authorization', message: detail }]);

/** `verifyToken` plus the token's expiry (`exp`, seconds since the epoch). */
export function verifyTokenClaims(opts: AuthOptions, token: string, now = Math.floor(Date.now() / 1000)): { officer: Officer; exp: number } {
  const unauthorized = unauthorizedProblem;
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthorized('malformed bearer token');
  const [h, b, s] = parts as [string, string, string];
  const expected = createHmac('sha256', opts.secret).update(`${h}.${b}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthorized('invalid token signature');
  let header: { alg?: string };
  let claims: Partial<TokenClaims>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(b, 'base64url').toString('utf8'));
  } catch {
    throw unauthorized('malformed bearer token');
  }
  if (header.alg !== 'HS256') throw unauthorized('unsupported token algorithm');
  const leeway = opts.leewaySeconds ?? 30;
  if (claims.iss !== opts.issuer) throw unauthorized('token issued by an unknown issuer');
  if (typeof claims.exp !== 'number' || claims.exp + leeway < now) throw unauthorized('token expired');
  if (typeof claims.officerId !== 'string' || typeof claims.unitId !== 'string') throw unauthorized('token lacks officerId/unitId');
  return {
    officer: {
      officerId: claims.officerId,
      name: String(claims.name ?? claims.officerId),
      unitId: claims.unitId,
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    },
    exp: claims.exp,
  };
}

/**
 * Remembers tokens that `verifyToken` accepted, so a client that sends the same bearer token on every request
 * pays for the HMAC and the JSON parsing once. Bounded (least recently used entries go first); an entry is
 * dropped, and the token re-verified (hence rejected as expired), once `exp + leeway` has passed. Only
 * successful verifications are remembered: a bad token is checked (and refused) every time. The cache belongs
 * to one set of options (secret, issuer): a new secret means a new process and an empty cache.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { officer: Officer; validUntil: number }>();

  constructor(
    private readonly opts: AuthOptions,
    readonly maxEntries = 10_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Whether the token is remembered (tests, diagnostics). */
  has(token: string): boolean {
    return this.entries.has(token);
  }

  /** The officer of a valid token (a fresh copy each call); throws the same 401 problems as `verifyToken`. */
  verify(token: string, now = Math.floor(Date.now() / 1000)): Officer {
    const hit = this.entries.get(token);
    if (hit) {
      this.entries.delete(token);
      if (hit.validUntil >= now) {
        this.entries.set(token, hit); // most recently used last
        return { ...hit.officer, roles: [...hit.officer.roles] };
      }
    }
    const { officer, exp } = verifyTokenClaims(this.opts, token, now);
    if (this.maxEntries > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(token, { officer: { ...officer, roles: [...officer.roles] }, validUntil: exp + (this.opts.leewaySeconds ?? 30) });
    }
    return officer;
  }
}

/** Marks a route as open (health, docs, metrics); defined next to the metrics controller, which uses it. */
export { PublicRoute };

interface AuthedRequest {
  headers: Record<string, string | string[] | undefined>;
  officer?: Officer;
}

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when the header is missing or names another
 * scheme. The scheme is case-insensitive (RFC 9110 §11.1: `bearer`, `BEARER` are `Bearer`) and any run of spaces or
 * tabs may separate it from the token.
 */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^[ \t]*bearer[ \t]+(\S.*)$/i.exec(value ?? '');
  return m ? m[1]!.trim() : undefined;
}

@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly tokens: VerifiedTokenCache;

  constructor(
    @Inject(AUTH_OPTIONS) opts: AuthOptions,
    private readonly reflector: Reflector,
  ) {
    this.tokens = new VerifiedTokenCache(opts, opts.verifiedTokenCacheSize ?? 10_000);
  }

  canActivate(ctx: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_KEY, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req.headers['authorization']);
    if (token === undefined) {
      throw new ProblemException(401, 'unauthorized', 'Unauthorized', 'a Bearer token is required', [
        { field: 'authorization', message: 'missing Bearer token' },
      ]);
    }
    req.officer = this.tokens.verify(token);
    return true;
  }
}

export const CurrentOfficer = createParamDecorator((_: unknown, ctx: ExecutionContext): Officer => {
  const officer = ctx.switchToHttp().getRequest<AuthedRequest>().officer;
  if (!officer) throw new ProblemException(401, 'unauthorized', 'Unauthorized', 'not authenticated');
  return officer;
});

/** An officer may act only for their own unit (403 otherwise). `field` names the request field at fault. */
export function assertUnitScope(officer: Officer, unitId: string, field = 'unitId'): void {
  if (officer.unitId !== unitId && !officer.roles.includes('admin')) {
    throw ProblemException.forbidden(`officer ${officer.officerId} of unit ${officer.unitId} may not act for unit ${unitId}`, field);
  }
}

/** Registers the guard globally (APP_GUARD) with the given options. */
@Module({})
export class AuthModule {
  static forRoot(opts: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [{ provide: AUTH_OPTIONS, useValue: opts }, JwtAuthGuard, { provide: 'APP_GUARD', useExisting: JwtAuthGuard }],
      exports: [AUTH_OPTIONS, JwtAuthGuard],
    };
  }
}
