import { arr, bool, int, oneOf, opt, str } from './fields';
import { route } from './route';

export const CONTACT_TYPES = ['individual', 'group'] as const;
export const CHANNEL_TYPES = ['whatsapp'] as const;

const contactId = { contactId: str() } as const;
const pageQuery = { page: opt(int()), limit: opt(int()), order: opt(oneOf(['asc', 'desc'])) } as const;

export const contactRoutes = {
  create: route({
    name: 'contacts.create',
    method: 'POST',
    path: '/contacts',
    body: {
      channelId: str(),
      contactIdentifier: str(),
      name: opt(str()),
      type: oneOf(CONTACT_TYPES),
      channelType: oneOf(CHANNEL_TYPES),
      customName: opt(str()),
      photo: opt(str()),
      tagIds: opt(arr(str())),
      platform: opt(str()),
      isIgnored: opt(bool()),
    },
  }),
  update: route({
    name: 'contacts.update',
    method: 'PATCH',
    path: '/contacts/{contactId}',
    params: contactId,
    body: {
      customName: opt(str()),
      platform: opt(str()),
      tagIds: opt(arr(str())),
      contactIdentifier: opt(str()),
      isIgnored: opt(bool()),
    },
  }),
  get: route({ name: 'contacts.get', method: 'GET', path: '/contacts/{contactId}', params: contactId }),
  list: route({
    name: 'contacts.list',
    method: 'GET',
    path: '/contacts',
    query: {
      ...pageQuery,
      type: opt(oneOf(CONTACT_TYPES)),
      channelType: opt(oneOf(CHANNEL_TYPES)),
      name: opt(str()),
      contactIdentifier: opt(str()),
      tagIds: opt(arr(str())),
      tagMatch: opt(oneOf(['any', 'all'])),
      channelId: opt(str()),
    },
  }),
  delete: route({ name: 'contacts.delete', method: 'DELETE', path: '/contacts/{contactId}', params: contactId }),
  deletePlatform: route({
    name: 'contacts.deletePlatform',
    method: 'DELETE',
    path: '/contacts/{contactId}/platform',
    params: contactId,
  }),
  listTags: route({ name: 'contacts.tags.list', method: 'GET', path: '/contacts/{contactId}/tags', params: contactId }),
  addTags: route({
    name: 'contacts.tags.add',
    method: 'POST',
    path: '/contacts/{contactId}/tags',
    params: contactId,
    body: { tagIds: arr(str()) },
  }),
  removeTags: route({
    name: 'contacts.tags.remove',
    method: 'DELETE',
    path: '/contacts/{contactId}/tags',
    params: contactId,
    body: { tagIds: arr(str()) },
  }),
  listByTag: route({
    name: 'tags.contacts.list',
    method: 'GET',
    path: '/tags/{tagId}/contacts',
    params: { tagId: str() },
    query: pageQuery,
  }),
} as const;
