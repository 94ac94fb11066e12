import { arr, bool, dateTime, int, obj, oneOf, opt, str } from './fields';
import { route } from './route';

export const SESSION_STATES = ['STOPPED', 'STARTING', 'QR', 'AUTHENTICATED', 'READY', 'DISCONNECTED', 'FAILED', 'LOGGED_OUT'] as const;

export const sessionStatusShape = obj({
  channelId: str(),
  state: oneOf(SESSION_STATES),
  reason: opt(str()),
  me: opt(str()),
  pushname: opt(str()),
  linked: bool(),
  autoStart: bool(),
  qrAvailable: bool(),
  qrExpiresAt: opt(dateTime()),
  retryAt: opt(dateTime()),
  lastReadyAt: opt(dateTime()),
  owner: oneOf(['local', 'remote', 'none']),
  updatedAt: dateTime(),
});

export const onboardingLinkShape = obj({
  url: str(),
  expiresAt: dateTime(),
  channelId: str(),
  platformConfigId: str(),
  state: oneOf(SESSION_STATES),
});

/** A WhatsApp group of the channel's number; `id` is the `recipientNumber` of group sends. */
export const channelGroupShape = obj({
  id: str(),
  subject: str(),
  participantsCount: int(),
  isMember: bool(),
  isAdmin: bool(),
});

const channelId = { channelId: str() } as const;
const sessionRoute = <const N extends string, const M extends 'GET' | 'POST', const P extends string>(name: N, method: M, path: P) =>
  route({ name: `sessions.${name}`, method, path: `/channels/{channelId}/session${path}`, params: channelId, response: sessionStatusShape });

export const whatsappRoutes = {
  onboardingLink: route({
    name: 'onboarding.links.create',
    method: 'POST',
    path: '/onboarding/links',
    body: { channelId: opt(str()), platformConfigId: opt(str()), providerId: opt(str()), origin: opt(str()) },
    response: onboardingLinkShape,
  }),
  channelOnboardingLink: route({
    name: 'channels.onboardingLink',
    method: 'POST',
    path: '/channels/{channelId}/onboarding-link',
    params: channelId,
    body: { origin: opt(str()) },
    response: onboardingLinkShape,
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
    response: obj({ qr: str(), expiresAt: opt(dateTime()) }),
  }),
  pairingCode: route({
    name: 'sessions.pairingCode',
    method: 'POST',
    path: '/channels/{channelId}/session/pairing-code',
    params: channelId,
    body: { phoneNumber: str() },
    response: obj({ code: str(), formatted: str() }),
  }),
  groups: route({
    name: 'channels.groups.list',
    method: 'GET',
    path: '/channels/{channelId}/groups',
    params: channelId,
    response: arr(channelGroupShape),
  }),
} as const;
