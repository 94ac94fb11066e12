import { arr, bool, obj, oneOf, opt, str } from './fields';
import { route } from './route';

export const MESSAGE_SERVICES = ['whatsappweb', 'whatsappcloud', 'd360'] as const;

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
      // Every service's provider fields: clientNumber and companyId for all; whatsappcloud adds the
      // number's ids and the Meta app's secrets, d360 the 360dialog API key. Which are required for
      // which service is typed by SetupApi.setup's overloads (SetupWhatsappCloudDto, SetupD360Dto).
      provider: obj({
        clientNumber: str(),
        companyId: str(),
        phoneNumberId: opt(str()),
        wabaId: opt(str()),
        accessToken: opt(str()),
        appSecret: opt(str()),
        webhookVerifyToken: opt(str()),
        apiVersion: opt(str()),
        apiKey: opt(str()),
      }),
      startingPlatform: str(),
      platforms: arr(obj({ slug: str(), callbackUrl: str() })),
      description: opt(str()),
    },
  }),
  list: route({ name: 'channels.list', method: 'GET', path: '/channels' }),
  get: route({ name: 'channels.get', method: 'GET', path: '/channels/{channelId}', params: channelId }),
  update: route({
    name: 'channels.update',
    method: 'PATCH',
    path: '/channels/{channelId}',
    params: channelId,
    body: { startingPlatform: opt(str()), description: opt(str()), provider: opt(obj({ companyId: opt(str()) })) },
  }),
  delete: route({ name: 'channels.delete', method: 'DELETE', path: '/channels/{channelId}', params: channelId }),
  getPlatformConfig: route({
    name: 'platformConfigs.get',
    method: 'GET',
    path: '/platform-configs/{platformConfigId}',
    params: { platformConfigId: str() },
  }),
  listPlatforms: route({
    name: 'platforms.list',
    method: 'GET',
    path: '/channels/{channelId}/platforms',
    params: channelId,
  }),
  addPlatform: route({
    name: 'platforms.add',
    method: 'POST',
    path: '/channels/{channelId}/platforms',
    params: channelId,
    body: { slug: str(), callbackUrl: str() },
  }),
  getPlatform: route({
    name: 'platforms.get',
    method: 'GET',
    path: '/channels/{channelId}/platforms/{slug}',
    params: slug,
  }),
  updatePlatform: route({
    name: 'platforms.update',
    method: 'PATCH',
    path: '/channels/{channelId}/platforms/{slug}',
    params: slug,
    body: { callbackUrl: opt(str()), enabled: opt(bool()) },
  }),
  removePlatform: route({
    name: 'platforms.remove',
    method: 'DELETE',
    path: '/channels/{channelId}/platforms/{slug}',
    params: slug,
  }),
  rotatePlatformSecret: route({
    name: 'platforms.rotateSecret',
    method: 'POST',
    path: '/channels/{channelId}/platforms/{slug}/rotate-secret',
    params: slug,
  }),
} as const;
