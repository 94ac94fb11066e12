import type { InferField } from '../routes/fields';
import type { tagShape } from '../routes/tags.routes';

export interface Tag extends InferField<typeof tagShape> {}

/** SDK guide 3.1. */
export interface CreateTagDto {
  clientIdentifier?: string;
  /** Unique in the account, ignoring case (1-50 characters). */
  name: string;
  /** Hex colour: `#ff0000` or `#f00`. */
  color: string;
}

/** SDK guide 3.2. */
export interface GetTagsDto {
  clientIdentifier?: string;
  /** Part of the name, any case. */
  name?: string;
}

/** SDK guide 3.3. */
export interface GetTagByIdDto {
  clientIdentifier?: string;
  tagId: string;
}

/** SDK guide 3.4. */
export interface UpdateTagDto {
  clientIdentifier?: string;
  tagId: string;
  name?: string;
  color?: string;
}

/** SDK guide 3.5. */
export interface DeleteTagDto {
  clientIdentifier?: string;
  tagId: string;
}

/** SDK guide 3.6 (plus paging). */
export interface GetContactsByTagIdDto {
  clientIdentifier?: string;
  tagId: string;
  page?: number;
  limit?: number;
  order?: 'asc' | 'desc';
}
