import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

export interface Tag extends Api.TagResponse {}

/** SDK guide 3.1. */
export type CreateTagDto = OperationInput<'POST /tags'>;

/** SDK guide 3.2. */
export type GetTagsDto = OperationInput<'GET /tags'>;

/** SDK guide 3.3. */
export type GetTagByIdDto = OperationInput<'GET /tags/{tagId}'>;

/** SDK guide 3.4. */
export type UpdateTagDto = OperationInput<'PATCH /tags/{tagId}'>;

/** SDK guide 3.5. */
export type DeleteTagDto = OperationInput<'DELETE /tags/{tagId}'>;

/** SDK guide 3.6 (plus paging). */
export type GetContactsByTagIdDto = OperationInput<'GET /tags/{tagId}/contacts'>;
