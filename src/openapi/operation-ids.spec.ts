import { operationId } from './operation-ids';

describe('operationId', () => {
  it('names operations resource.action', () => {
    expect(operationId('ContactsController', 'create')).toBe('contacts.create');
    expect(operationId('ApiKeysController', 'revoke')).toBe('apiKeys.revoke');
  });
});
