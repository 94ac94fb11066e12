/** Browser entry (also the core of the Node entry): no Node-only imports, only fetch. */
export { configure, resetConfiguration } from './core/config';
export type { OmnichannelConfig, FetchLike } from './core/config';
export { OmnichannelError, isOmnichannelError, SdkErrorCode } from './core/errors';
export type { OmnichannelErrorInit } from './core/errors';
export { OmnichannelClient } from './core/http-client';
export type { CallOptions } from './core/http-client';
export { ApiBase } from './core/api-base';
export { ContactApi, SetupApi, TagApi, WebhookApi } from './apis';
export { MessageServiceEnum } from './types/common';
export type { MessageService, Page, IsoDate } from './types/common';
export type * from './types/channels';
export type * from './types/contacts';
export type * from './types/tags';
export type * from './types/webhooks';
export { ROUTE_TABLE } from './routes';
export type { RouteSpec, HttpMethod } from './routes/route';
export type { FieldSpec, FieldMap } from './routes/fields';
