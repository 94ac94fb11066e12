import { opt, str } from './fields';
import { route } from './route';

const channelId = { channelId: str() } as const;
const sessionRoute = <const N extends string, const M extends 'GET' | 'POST', const P extends string>(name: N, method: M, path: P) =>
  route({ name: `sessions.${name}`, method, path: `/channels/{channelId}/session${path}`, params: channelId });

export const whatsappRoutes = {
  onboardingLink: route({
    name: 'onboarding.links.create',
    method: 'POST',
    path: '/onboarding/links',
    body: { channelId: opt(str()), platformConfigId: opt(str()), providerId: opt(str()), origin: opt(str()) },
  }),
  channelOnboardingLink: route({
    name: 'channels.onboardingLink',
    method: 'POST',
    path: '/channels/{channelId}/onboarding-link',
    params: channelId,
    body: { origin: opt(str()) },
  }),
  status: sessionRoute('status', 'GET', ''),
  start: sessionRoute('start', 'POST', '/start'),
  stop: sessionRoute('stop', 'POST', '/stop'),
  restart: sessionRoute('restart', 'POST', '/restart'),
  logout: sessionRoute('logout', 'POST', '/logout'),
  qr: route({
    name: 'sessions.qr',
    method: 'GET',
    path: '/channels/{channelId}/session/qr',
    params: channelId,
  }),
  pairingCode: route({
    name: 'sessions.pairingCode',
    method: 'POST',
    path: '/channels/{channelId}/session/pairing-code',
    params: channelId,
    body: { phoneNumber: str() },
  }),
  groups: route({
    name: 'channels.groups.list',
    method: 'GET',
    path: '/channels/{channelId}/groups',
    params: channelId,
  }),
} as const;
