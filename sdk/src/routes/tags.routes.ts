import { arr, dateTime, obj, opt, str } from './fields';
import { route } from './route';
import { deletedShape } from './channels.routes';

export const tagShape = obj({
  id: str(),
  clientIdentifier: str(),
  name: str(),
  color: str(),
  createdAt: dateTime(),
  updatedAt: dateTime(),
});

const tagId = { tagId: str() } as const;

export const tagRoutes = {
  create: route({ name: 'tags.create', method: 'POST', path: '/tags', body: { name: str(), color: str() }, response: tagShape }),
  list: route({ name: 'tags.list', method: 'GET', path: '/tags', query: { name: opt(str()) }, response: arr(tagShape) }),
  get: route({ name: 'tags.get', method: 'GET', path: '/tags/{tagId}', params: tagId, response: tagShape }),
  update: route({
    name: 'tags.update',
    method: 'PATCH',
    path: '/tags/{tagId}',
    params: tagId,
    body: { name: opt(str()), color: opt(str()) },
    response: tagShape,
  }),
  delete: route({ name: 'tags.delete', method: 'DELETE', path: '/tags/{tagId}', params: tagId, response: deletedShape }),
} as const;
