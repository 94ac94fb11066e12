import { arr, bool, dateTime, obj, oneOf, opt, str } from './fields';
import { route } from './route';

export const MESSAGE_SERVICES = ['whatsappweb'] as const;

export const platformEndpointShape = obj({
  slug: str(),
  callbackUrl: str(),
  enabled: bool(),
  disabledReason: opt(str()),
  secretPreview: str(),
});
export const platformEndpointWithSecretShape = obj({ ...platformEndpointShape.fields, secret: str() });
export const rotatedSecretShape = obj({ ...platformEndpointWithSecretShape.fields, previousSecretExpiresAt: dateTime() });

const channelFields = {
  id: str(),
  platformConfigId: str(),
  clientIdentifier: str(),
  service: oneOf(MESSAGE_SERVICES),
  provider: obj({ clientNumber: str(), companyId: str() }),
  platforms: arr(platformEndpointShape),
  startingPlatform: str(),
  description: opt(str()),
  createdAt: dateTime(),
  updatedAt: dateTime(),
} as const;
export const channelShape = obj(channelFields);
export const platformConfigShape = obj({ ...channelFields, channelId: str(), platforms: arr(platformEndpointWithSecretShape) });
export const deletedShape = obj({ id: str(), deleted: bool() });

const service = { service: oneOf(MESSAGE_SERVICES) } as const;
const channelId = { channelId: str() } as const;
const slug = { channelId: str(), slug: str() } as const;

export const channelRoutes = {
  setup: route({
    name: 'channels.setup',
    method: 'POST',
    path: '/channels/setup/{service}',
    params: service,
    body: {
      provider: obj({ clientNumber: str(), companyId: str() }),
      startingPlatform: str(),
      platforms: arr(obj({ slug: str(), callbackUrl: str() })),
      description: opt(str()),
    },
    response: platformConfigShape,
  }),
  list: route({ name: 'channels.list', method: 'GET', path: '/channels', response: arr(channelShape) }),
  get: route({ name: 'channels.get', method: 'GET', path: '/channels/{channelId}', params: channelId, response: channelShape }),
  update: route({
    name: 'channels.update',
    method: 'PATCH',
    path: '/channels/{channelId}',
    params: channelId,
    body: { startingPlatform: opt(str()), description: opt(str()), provider: opt(obj({ companyId: opt(str()) })) },
    response: channelShape,
  }),
  delete: route({ name: 'channels.delete', method: 'DELETE', path: '/channels/{channelId}', params: channelId, response: deletedShape }),
  getPlatformConfig: route({
    name: 'platformConfigs.get',
    method: 'GET',
    path: '/platform-configs/{platformConfigId}',
    params: { platformConfigId: str() },
    response: channelShape,
  }),
  listPlatforms: route({
    name: 'platforms.list',
    method: 'GET',
    path: '/channels/{channelId}/platforms',
    params: channelId,
    response: arr(platformEndpointShape),
  }),
  addPlatform: route({
    name: 'platforms.add',
    method: 'POST',
    path: '/channels/{channelId}/platforms',
    params: channelId,
    body: { slug: str(), callbackUrl: str() },
    response: platformEndpointWithSecretShape,
  }),
  getPlatform: route({
    name: 'platforms.get',
    method: 'GET',
    path: '/channels/{channelId}/platforms/{slug}',
    params: slug,
    response: platformEndpointShape,
  }),
  updatePlatform: route({
    name: 'platforms.update',
    method: 'PATCH',
    path: '/channels/{channelId}/platforms/{slug}',
    params: slug,
    body: { callbackUrl: opt(str()), enabled: opt(bool()) },
    response: platformEndpointShape,
  }),
  removePlatform: route({
    name: 'platforms.remove',
    method: 'DELETE',
    path: '/channels/{channelId}/platforms/{slug}',
    params: slug,
    response: obj({ slug: str(), deleted: bool() }),
  }),
  rotatePlatformSecret: route({
    name: 'platforms.rotateSecret',
    method: 'POST',
    path: '/channels/{channelId}/platforms/{slug}/rotate-secret',
    params: slug,
    response: rotatedSecretShape,
  }),
} as const;
