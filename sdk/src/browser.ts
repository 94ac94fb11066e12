/** Browser entry (also the core of the Node entry): no Node-only imports, only fetch. */
export { configure, resetConfiguration } from './core/config';
export type { OmnichannelConfig, FetchLike } from './core/config';
export { OmnichannelError, isOmnichannelError, SdkErrorCode } from './core/errors';
export type { OmnichannelErrorInit } from './core/errors';
export { OmnichannelClient } from './core/http-client';
export type { CallOptions } from './core/http-client';
export { ApiBase } from './core/api-base';
export { ContactApi, MessageApi, SetupApi, TagApi, WebhookApi, WhatsappWebUtils } from './apis';
export { MessageServiceEnum } from './types/common';
export type { MessageService, Page, IsoDate } from './types/common';
export type * from './types/channels';
export type * from './types/contacts';
export type * from './types/conversations';
export type * from './types/messages';
export type * from './types/tags';
export type * from './types/webhooks';
export type * from './types/whatsapp';
export { ROUTE_TABLE } from './routes';
export type { RouteSpec, HttpMethod } from './routes/route';
export type { FieldSpec, FieldMap } from './routes/fields';
/** Every schema and operation of the server's OpenAPI document as TypeScript types (generated, `npm run sdk:generate`). */
export type * as OpenApi from './generated';
export type { Operations, OperationKey } from './generated/operations.gen';
export type { OperationInput } from './routes/operation-input';
