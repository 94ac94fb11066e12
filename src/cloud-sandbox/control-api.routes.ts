import { GraphError } from './cloud-api-errors';
import { newNumericId } from './cloud-ids';
import type { CloudSandboxState, NumberConfig, NumberState, TemplateDef } from './cloud-sandbox-state';
import type { HttpRouter, RouteContext } from './http-router';
import { buildInbound, type InboundRequest } from './inbound-builder';
import { deliverWebhook, statusValue } from './webhook-emitter';

const STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

/**
 * The control API (not Meta's): register numbers and templates, read the outbox, play the customer
 * (inbound messages, statuses), inject errors and move the clock. Webhook-emitting calls wait for the
 * delivery and return its HTTP status, so tests need no polling.
 */
export function registerControlRoutes(router: HttpRouter, state: CloudSandboxState, controlToken?: string): void {
  const guard =
    (fn: (ctx: RouteContext) => unknown) =>
    async (ctx: RouteContext) => {
      if (controlToken && ctx.req.headers['x-sandbox-control-token'] !== controlToken) {
        return { status: 401, body: { error: 'control token required' } };
      }
      return { status: 200, body: await fn(ctx) };
    };
  const num = (ctx: RouteContext): NumberState => {
    const n = state.numbers.get(ctx.params.id);
    if (!n) throw new GraphError(100, `unknown phone number id ${ctx.params.id}`, 404);
    return n;
  };
  const body = (ctx: RouteContext) => ctx.json() as Record<string, any>;

  router.add('POST', '/_control/numbers', guard((ctx) => publicConfig(state.addNumber(parseConfig(body(ctx))))));
  router.add('GET', '/_control/numbers/:id', guard((ctx) => publicConfig(num(ctx))));
  router.add('PUT', '/_control/numbers/:id/webhook', guard((ctx) => {
    const { url, headers } = body(ctx);
    if (typeof url !== 'string') throw new GraphError(100, 'url is required');
    num(ctx).config.webhook = { url, headers };
    return { url, headers: headers ?? {} };
  }));
  router.add('GET', '/_control/numbers/:id/outbox', guard((ctx) => num(ctx).outbox));
  router.add('DELETE', '/_control/numbers/:id/outbox', guard((ctx) => ({ cleared: num(ctx).outbox.splice(0).length })));
  router.add('GET', '/_control/numbers/:id/reads', guard((ctx) => num(ctx).readMarks));
  router.add('GET', '/_control/numbers/:id/webhook-deliveries', guard((ctx) => num(ctx).deliveries));
  router.add('POST', '/_control/numbers/:id/templates', guard((ctx) => {
    const t = body(ctx) as Partial<TemplateDef>;
    if (!t.name || !t.language) throw new GraphError(100, 'name and language are required');
    const template: TemplateDef = {
      id: newNumericId(),
      name: t.name,
      language: t.language,
      status: t.status ?? 'APPROVED',
      category: t.category ?? 'UTILITY',
      components: t.components ?? [],
    };
    const n = num(ctx);
    n.templates = n.templates.filter((x) => !(x.name === t.name && x.language === t.language)).concat(template);
    return template;
  }));
  router.add('POST', '/_control/numbers/:id/errors', guard((ctx) => {
    const { code, count } = body(ctx);
    if (typeof code !== 'number') throw new GraphError(100, 'code (number) is required');
    num(ctx).injected.push({ code, remaining: typeof count === 'number' ? count : 1 });
    return { injected: num(ctx).injected };
  }));
  router.add('POST', '/_control/numbers/:id/inbound', guard(async (ctx) => {
    const n = num(ctx);
    const req = body(ctx) as InboundRequest;
    const message = buildInbound(state, n, req);
    n.lastInbound.set(req.from, state.now());
    n.inboundIds.add(message.id as string);
    const contacts = [{ profile: { name: req.name ?? req.from }, wa_id: req.from }];
    const delivery = await deliverWebhook(n, { contacts, messages: [message] }, state.now());
    return { message, delivery };
  }));
  router.add('POST', '/_control/numbers/:id/statuses', guard(async (ctx) => {
    const n = num(ctx);
    const { id, status, errorCode } = body(ctx);
    const entry = n.outbox.find((e) => e.id === id);
    if (!entry) throw new GraphError(100, `no outbound message ${String(id)}`, 404);
    if (!STATUSES.includes(status)) throw new GraphError(100, `status must be one of ${STATUSES.join(', ')}`);
    entry.status = status;
    if (status === 'failed' && typeof errorCode === 'number') entry.error = { code: errorCode, details: `Error ${errorCode}` };
    const value = statusValue(entry, status, state.now(), errorCode);
    return { status: value, delivery: await deliverWebhook(n, value, state.now()) };
  }));
  router.add('POST', '/_control/clock', guard((ctx) => {
    const { advanceMs } = body(ctx);
    if (typeof advanceMs !== 'number') throw new GraphError(100, 'advanceMs (number) is required');
    state.advanceClock(advanceMs);
    return { now: new Date(state.now()).toISOString() };
  }));
}

export function parseConfig(input: Record<string, any>): NumberConfig {
  const flavour = input.flavour ?? 'meta';
  if (flavour !== 'meta' && flavour !== 'd360') throw new GraphError(100, 'flavour must be meta or d360');
  if (flavour === 'meta' && (!input.accessToken || !input.appSecret)) throw new GraphError(100, 'meta numbers need accessToken and appSecret');
  if (flavour === 'd360' && !input.apiKey) throw new GraphError(100, 'd360 numbers need apiKey');
  return {
    phoneNumberId: String(input.phoneNumberId ?? newNumericId(15)),
    wabaId: String(input.wabaId ?? newNumericId(15)),
    displayPhoneNumber: String(input.displayPhoneNumber ?? '15550000001'),
    flavour,
    accessToken: input.accessToken,
    appSecret: input.appSecret,
    apiKey: input.apiKey,
    webhook: input.webhook,
    autoStatuses: Array.isArray(input.autoStatuses) ? input.autoStatuses : undefined,
  };
}

/** Secrets are never echoed back, only whether they are set. */
function publicConfig(n: NumberState): Record<string, unknown> {
  const { accessToken, appSecret, apiKey, ...rest } = n.config;
  return { ...rest, hasAccessToken: !!accessToken, hasAppSecret: !!appSecret, hasApiKey: !!apiKey, templates: n.templates };
}
