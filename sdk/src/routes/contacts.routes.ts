import { arr, bool, dateTime, int, obj, oneOf, opt, page, str } from './fields';
import { deletedShape } from './channels.routes';
import { route } from './route';
import { tagShape } from './tags.routes';

export const CONTACT_TYPES = ['individual', 'group'] as const;
export const CHANNEL_TYPES = ['whatsapp'] as const;

export const contactShape = obj({
  id: str(),
  clientIdentifier: str(),
  channelId: str(),
  contactIdentifier: str(),
  name: opt(str()),
  customName: opt(str()),
  type: oneOf(CONTACT_TYPES),
  channelType: str(),
  photo: opt(str()),
  tagIds: arr(str()),
  platform: opt(str()),
  isIgnored: bool(),
  createdAt: dateTime(),
  updatedAt: dateTime(),
});

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
    response: contactShape,
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
    response: contactShape,
  }),
  get: route({ name: 'contacts.get', method: 'GET', path: '/contacts/{contactId}', params: contactId, response: contactShape }),
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
    response: page(contactShape),
  }),
  delete: route({ name: 'contacts.delete', method: 'DELETE', path: '/contacts/{contactId}', params: contactId, response: deletedShape }),
  deletePlatform: route({
    name: 'contacts.deletePlatform',
    method: 'DELETE',
    path: '/contacts/{contactId}/platform',
    params: contactId,
    response: contactShape,
  }),
  listTags: route({ name: 'contacts.tags.list', method: 'GET', path: '/contacts/{contactId}/tags', params: contactId, response: arr(tagShape) }),
  addTags: route({
    name: 'contacts.tags.add',
    method: 'POST',
    path: '/contacts/{contactId}/tags',
    params: contactId,
    body: { tagIds: arr(str()) },
    response: contactShape,
  }),
  removeTags: route({
    name: 'contacts.tags.remove',
    method: 'DELETE',
    path: '/contacts/{contactId}/tags',
    params: contactId,
    body: { tagIds: arr(str()) },
    response: contactShape,
  }),
  listByTag: route({
    name: 'tags.contacts.list',
    method: 'GET',
    path: '/tags/{tagId}/contacts',
    params: { tagId: str() },
    query: pageQuery,
    response: page(contactShape),
  }),
} as const;
