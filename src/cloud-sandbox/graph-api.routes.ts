import { createHash } from 'node:crypto';
import { GraphError } from './cloud-api-errors';
import { newNumericId } from './cloud-ids';
import type { CloudSandboxState, NumberState, StoredMedia } from './cloud-sandbox-state';
import { handleSend } from './cloud-send';
import type { HttpRouter, Reply, RouteContext } from './http-router';
import { validateMessageRequest } from './message-validator';

const V = ':version(v\\d+\\.\\d+)';

/** Meta's Graph API surface for WhatsApp: messages, media, media download, message templates. */
export function registerGraphRoutes(router: HttpRouter, state: CloudSandboxState): void {
  router.add('POST', `/${V}/:phoneNumberId/messages`, (ctx) => {
    const number = authorizedNumber(state, ctx);
    return { status: 200, body: handleSend(state, number, validateMessageRequest(ctx.json())) };
  });

  router.add('POST', `/${V}/:phoneNumberId/media`, async (ctx) => {
    const number = authorizedNumber(state, ctx);
    return { status: 200, body: { id: (await storeUpload(state, number, ctx)).id } };
  });

  router.add('GET', `/${V}/:wabaId/message_templates`, (ctx) => {
    const number = state.byWaba(ctx.params.wabaId);
    if (!number) throw unknownObject(ctx.params.wabaId);
    requireToken(number, ctx);
    const name = ctx.query.get('name');
    const status = ctx.query.get('status');
    const data = number.templates
      .filter((t) => (!name || t.name === name) && (!status || t.status === status))
      .map((t) => ({ name: t.name, components: t.components, language: t.language, status: t.status, category: t.category, id: t.id }));
    return { status: 200, body: { data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } } };
  });

  router.add('GET', `/${V}/:mediaId`, (ctx) => ({ status: 200, body: mediaInfo(ctx, ownedMedia(state, ctx)) }));

  router.add('DELETE', `/${V}/:mediaId`, (ctx) => {
    state.media.delete(ownedMedia(state, ctx).id);
    return { status: 200, body: { success: true } };
  });

  // Stands for lookaside.fbsbx.com: the download URL still requires the owner's bearer token.
  router.add('GET', '/whatsapp_business/attachments/', (ctx) => {
    const media = state.media.get(ctx.query.get('mid') ?? '');
    if (!media) return { status: 404, body: new GraphError(100, 'Media not found.', 404).toBody() };
    const number = state.numbers.get(media.phoneNumberId);
    if (!number || !tokenMatches(number, ctx)) return { status: 401, body: new GraphError(190, 'Invalid OAuth access token.').toBody() };
    return { status: 200, bytes: { data: media.bytes, contentType: media.mimeType } };
  });
}

export async function storeUpload(state: CloudSandboxState, number: NumberState, ctx: RouteContext): Promise<StoredMedia> {
  const form = await new Request('http://upload.local/', {
    method: 'POST',
    headers: { 'content-type': String(ctx.req.headers['content-type'] ?? '') },
    body: new Uint8Array(ctx.raw),
  })
    .formData()
    .catch(() => {
      throw new GraphError(100, 'The request must be multipart/form-data with a file.');
    });
  if (form.get('messaging_product') !== 'whatsapp') throw new GraphError(100, 'The parameter messaging_product is required.');
  const file = form.get('file');
  if (!(file instanceof Blob)) throw new GraphError(100, 'The parameter file is required.');
  const bytes = Buffer.from(await file.arrayBuffer());
  const typeField = form.get('type');
  const media: StoredMedia = {
    id: newNumericId(),
    phoneNumberId: number.config.phoneNumberId,
    bytes,
    mimeType: typeof typeField === 'string' && typeField ? typeField : file.type || 'application/octet-stream',
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  state.media.set(media.id, media);
  return media;
}

function authorizedNumber(state: CloudSandboxState, ctx: RouteContext): NumberState {
  const number = state.numbers.get(ctx.params.phoneNumberId);
  if (!number || number.config.flavour !== 'meta') throw unknownObject(ctx.params.phoneNumberId);
  requireToken(number, ctx);
  return number;
}

export function ownedMedia(state: CloudSandboxState, ctx: RouteContext): StoredMedia {
  const media = state.media.get(ctx.params.mediaId);
  const number = media && state.numbers.get(media.phoneNumberId);
  if (!media || !number) throw unknownObject(ctx.params.mediaId);
  requireToken(number, ctx);
  return media;
}

/** Meta: the number's bearer token. 360dialog: its D360-API-KEY (its media download proxies Meta's). */
export function tokenMatches(number: NumberState, ctx: RouteContext): boolean {
  if (number.config.flavour === 'd360') return !!number.config.apiKey && ctx.req.headers['d360-api-key'] === number.config.apiKey;
  const header = String(ctx.req.headers.authorization ?? '');
  return !!number.config.accessToken && header === `Bearer ${number.config.accessToken}`;
}

function requireToken(number: NumberState, ctx: RouteContext): void {
  if (!tokenMatches(number, ctx)) throw new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
}

function unknownObject(id: string): GraphError {
  return new GraphError(
    100,
    `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    400,
    33,
  );
}

/** What GET /<media-id> answers: the download URL (lookaside.fbsbx.com at Meta) and the file's facts. */
export function mediaInfo(ctx: RouteContext, media: StoredMedia): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    url: `${ctx.baseUrl}/whatsapp_business/attachments/?mid=${media.id}`,
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: media.bytes.length,
    id: media.id,
  };
}

export type { Reply };
