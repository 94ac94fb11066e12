import { opt, str } from './fields';
import { route } from './route';

const tagId = { tagId: str() } as const;

export const tagRoutes = {
  create: route({ name: 'tags.create', method: 'POST', path: '/tags', body: { name: str(), color: str() } }),
  list: route({ name: 'tags.list', method: 'GET', path: '/tags', query: { name: opt(str()) } }),
  get: route({ name: 'tags.get', method: 'GET', path: '/tags/{tagId}', params: tagId }),
  update: route({
    name: 'tags.update',
    method: 'PATCH',
    path: '/tags/{tagId}',
    params: tagId,
    body: { name: opt(str()), color: opt(str()) },
  }),
  delete: route({ name: 'tags.delete', method: 'DELETE', path: '/tags/{tagId}', params: tagId }),
} as const;
