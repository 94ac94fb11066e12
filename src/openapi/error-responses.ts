import { STATUS_CODES } from 'node:http';
import type { ResponseObject } from '@nestjs/swagger';
import { ADMIN_ONLY_EXTENSION } from '../common/auth/auth.decorators';
import { ERROR_CODES_EXTENSION } from '../common/errors/api-errors.decorator';
import { CommonErrorCode } from '../common/errors/app-error';
import { ERROR_CATALOGUE, ErrorCode } from '../common/errors/error-catalogue';
import { OpenApiDocument, Operation, operationsOf } from './openapi-types';
import { isAuthenticated } from './security';

const C = CommonErrorCode;
/** Any route: the `$`-key check and the rate limit run before routing; anything unforeseen is a 500. */
const EVERY_ROUTE: ErrorCode[] = [C.OPERATOR_NOT_ALLOWED, C.RATE_LIMITED, C.INTERNAL_ERROR];
/** Routes behind the API-key guard; Redis (keys' cache, limits) can be away. */
const AUTHENTICATED: ErrorCode[] = [C.UNAUTHENTICATED, C.INVALID_API_KEY, 'DEPENDENCY_UNAVAILABLE'];
/** Account routes: an account key naming another account, the admin key naming none. */
const ACCOUNT_ROUTE: ErrorCode[] = [C.ACCOUNT_MISMATCH, C.ACCOUNT_REQUIRED];
const ADMIN_ROUTE: ErrorCode[] = [C.ADMIN_KEY_REQUIRED];
/** Writes: the body parser's bounds and the 415 run on every POST/PUT/PATCH/DELETE that carries a body. */
const WRITE: ErrorCode[] = [C.INVALID_JSON, C.PAYLOAD_TOO_DEEP, C.PAYLOAD_TOO_COMPLEX, C.PAYLOAD_TOO_LARGE, C.UNSUPPORTED_MEDIA_TYPE];
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const EXAMPLE_REQUEST_ID = '2b1f7c7e-5d0b-4c53-9d3a-0b3f1f6f9a11';

/** The codes one operation can answer: its own (from ApiErrors) plus the shared ones that apply to it. */
export function errorCodesOf(method: string, op: Operation): ErrorCode[] {
  const own = (op[ERROR_CODES_EXTENSION] as ErrorCode[] | undefined) ?? [];
  const shared = [...EVERY_ROUTE];
  if (isAuthenticated(op)) shared.push(...AUTHENTICATED, ...(op[ADMIN_ONLY_EXTENSION] === true ? ADMIN_ROUTE : ACCOUNT_ROUTE));
  if (WRITE_METHODS.has(method)) shared.push(...WRITE);
  return [...new Set([...own, ...shared])];
}

/** The error body of one status: the shared shape with `statusCode` fixed and `code` narrowed to this route's codes, one example per code. */
function errorResponse(status: number, codes: ErrorCode[]): Record<string, unknown> {
  const examples = Object.fromEntries(codes.map((code) => [code, { $ref: `#/components/examples/${code}` }]));
  const headers: Record<string, unknown> = { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' } };
  if (status === 429 || status === 503) headers['Retry-After'] = { $ref: '#/components/headers/RetryAfter' };
  return {
    description: `${STATUS_CODES[status] ?? 'Error'}: ${codes.join(', ')}`,
    headers,
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ErrorResponse' },
            {
              type: 'object',
              properties: { statusCode: { type: 'integer', enum: [status] }, code: { type: 'string', enum: codes } },
            },
          ],
        },
        examples,
      },
    },
  };
}

/**
 * Replaces every error response of every operation by one per status, built from the codes the
 * route can answer: each status with its own `code` enum and one example per code. Runs after
 * applySecurity (it reads which routes are public).
 */
export function applyErrorResponses(doc: OpenApiDocument): void {
  const used = new Set<ErrorCode>();
  for (const { method, op } of operationsOf(doc)) {
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errorCodesOf(method, op)) {
      used.add(code);
      const { status } = ERROR_CATALOGUE[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    // Keep non-error answers and error answers that are not ours (terminus' 503 body on /health/ready).
    const kept = Object.entries(op.responses).filter(([status, res]) => Number(status) < 400 || !JSON.stringify(res).includes('ErrorResponse'));
    const errors = [...byStatus.entries()].filter(([status]) => !kept.some(([s]) => Number(s) === status));
    op.responses = Object.fromEntries(
      [...kept, ...errors.map(([status, codes]) => [String(status), errorResponse(status, codes)] as const)].sort(([a], [b]) => Number(a) - Number(b)),
    );
  }
  shareRepeatedResponses(doc);
  // Each code's example body is written once and referenced from every response that lists it.
  doc.components = { ...doc.components, examples: { ...doc.components?.examples, ...Object.fromEntries([...used].sort().map((code) => [code, exampleOf(code)])) } };
}

function exampleOf(code: ErrorCode): { summary: string; value: Record<string, unknown> } {
  const { status, message, details } = ERROR_CATALOGUE[code];
  return {
    summary: `${status} ${code}`,
    value: { statusCode: status, code, message, ...(details !== undefined ? { details } : {}), requestId: EXAMPLE_REQUEST_ID },
  };
}

/**
 * An error response that many routes share word for word (401 UNAUTHENTICATED/INVALID_API_KEY, 429,
 * 500, 503, a lone 404 code…) is written once in components.responses, named by its status and codes,
 * and referenced. Long code lists stay inline: they are particular to their route.
 */
function shareRepeatedResponses(doc: OpenApiDocument): void {
  const SHARE_AT = 3;
  const MAX_CODES = 3;
  const count = new Map<string, number>();
  const errorResponses = operationsOf(doc).flatMap(({ op }) => Object.entries(op.responses).filter(([status]) => Number(status) >= 400));
  for (const [, res] of errorResponses) count.set(JSON.stringify(res), (count.get(JSON.stringify(res)) ?? 0) + 1);
  const shared: Record<string, ResponseObject> = {};
  for (const { op } of operationsOf(doc)) {
    for (const [status, res] of Object.entries(op.responses)) {
      const codes = codesOf(res);
      if (Number(status) < 400 || !codes || codes.length > MAX_CODES || (count.get(JSON.stringify(res)) ?? 0) < SHARE_AT) continue;
      const name = `Error${status}_${codes.join('_or_')}`;
      shared[name] = res as unknown as ResponseObject;
      op.responses[status] = { $ref: `#/components/responses/${name}` };
    }
  }
  doc.components = { ...doc.components, responses: { ...doc.components?.responses, ...shared } };
}

function codesOf(res: Record<string, unknown>): string[] | undefined {
  const schema = (res.content as Record<string, { schema?: { allOf?: { properties?: { code?: { enum?: string[] } } }[] } }> | undefined)?.['application/json']?.schema;
  return schema?.allOf?.find((part) => part.properties?.code?.enum)?.properties?.code?.enum;
}
