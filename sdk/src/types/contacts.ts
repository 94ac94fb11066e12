// Requests and answers are the OpenAPI document's (sdk/src/generated, `npm run sdk:generate`): a DTO
// is an operation's path, query and body fields as one flat object; the guide's names stay here.
import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

export type ContactType = Api.ContactResponse['type'];

export interface Contact extends Api.ContactResponse {}

/** SDK guide 2.1. */
export type CreateContactDto = OperationInput<'POST /contacts'>;

/** SDK guide 2.2. */
export type UpdateContactDto = OperationInput<'PATCH /contacts/{contactId}'>;

/** SDK guide 2.3. */
export type GetContactDto = OperationInput<'GET /contacts/{contactId}'>;

/** SDK guide 2.4 (plus `channelId` and `tagMatch`). */
export type GetContactsDto = OperationInput<'GET /contacts'>;

/**
 * SDK guide 2.5. Deletes the contact with its conversations and messages (beyond the guide). Its tags stay in the
 * account; a second delete is 404 CONTACT_NOT_FOUND.
 */
export type DeleteContactDto = OperationInput<'DELETE /contacts/{contactId}'>;

export type DeleteContactPlatformDto = OperationInput<'DELETE /contacts/{contactId}/platform'>;

/** SDK guide 2.6. */
export type GetTagsByContactIdDto = OperationInput<'GET /contacts/{contactId}/tags'>;

/** SDK guide 2.7. */
export type AddContactTagDto = OperationInput<'POST /contacts/{contactId}/tags'>;

/** SDK guide 2.8. */
export type RemoveContactTagDto = OperationInput<'DELETE /contacts/{contactId}/tags'>;
