import type { CloudSandboxState, NumberState } from './cloud-sandbox-state';
import { handleSend } from './cloud-send';
import type { HttpRouter, Reply, RouteContext } from './http-router';
import { validateMessageRequest } from './message-validator';
import { obj, str, validateShape, type Shape } from './shape-validator';
import { GraphError } from './cloud-api-errors';
import { mediaInfo, ownedMedia, storeUpload } from './graph-api.routes';

const WEBHOOK_CONFIG: Shape = obj({ url: str() }, ['url']);

/**
 * 360dialog's hosted Cloud API (waba-v2.360dialog.io): the same message bodies as Meta at `/messages`,
 * authenticated by `D360-API-KEY`, and the webhook URL (+ headers it adds to every delivery) set by API.
 */
export function registerD360Routes(router: HttpRouter, state: CloudSandboxState): void {
  router.add('POST', '/messages', (ctx) => {
    const number = byKey(state, ctx);
    if (!number) return unauthorized();
    return { status: 200, body: handleSend(state, number, validateMessageRequest(ctx.json())) };
  });

  // Media: upload, then retrieve the download URL; the download itself (`/whatsapp_business/attachments/`)
  // is proxied by 360dialog with the same D360-API-KEY.
  router.add('POST', '/media', async (ctx) => {
    const number = byKey(state, ctx);
    if (!number) return unauthorized();
    return { status: 200, body: { id: (await storeUpload(state, number, ctx)).id } };
  });

  router.add('GET', '/:mediaId(\\d+)', (ctx) => ({ status: 200, body: mediaInfo(ctx, ownedMedia(state, ctx)) }));

  router.add('GET', '/v1/configs/templates', (ctx) => {
    const number = byKey(state, ctx);
    if (!number) return unauthorized();
    const templates = number.templates.map((t) => ({ name: t.name, components: t.components, language: t.language, status: t.status.toLowerCase(), category: t.category, id: t.id }));
    return { status: 200, body: { count: templates.length, total: templates.length, offset: 0, limit: 1000, waba_templates: templates } };
  });

  router.add('GET', '/v1/configs/webhook', (ctx) => {
    const number = byKey(state, ctx);
    if (!number) return unauthorized();
    return { status: 200, body: { url: number.config.webhook?.url ?? '', headers: number.config.webhook?.headers ?? {} } };
  });

  router.add('POST', '/v1/configs/webhook', (ctx) => {
    const number = byKey(state, ctx);
    if (!number) return unauthorized();
    const body = ctx.json() as Record<string, unknown>;
    try {
      const { headers, ...rest } = (typeof body === 'object' && body) || {};
      validateShape(rest, WEBHOOK_CONFIG, '');
      if (headers !== undefined && !isStringMap(headers)) throw new GraphError(100, 'headers must map names to strings');
      if (!/^https?:\/\//.test(rest.url as string)) throw new GraphError(100, 'url must be an http(s) URL');
      number.config.webhook = { url: rest.url as string, headers: (headers as Record<string, string>) ?? {} };
      return { status: 200, body: { url: number.config.webhook.url, headers: number.config.webhook.headers } };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return d360Error(400, err.details);
    }
  });
}

function byKey(state: CloudSandboxState, ctx: RouteContext): NumberState | undefined {
  const key = ctx.req.headers['d360-api-key'];
  return state.byApiKey(typeof key === 'string' ? key : undefined);
}

function isStringMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function unauthorized(): Reply {
  return d360Error(401, 'Invalid api_key');
}

/** 360dialog's own error envelope (its configuration endpoints; message errors pass Meta's through). */
function d360Error(status: number, message: string): Reply {
  return { status, body: { meta: { success: false, http_code: status, developer_message: message } } };
}
