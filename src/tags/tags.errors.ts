/** Stable error codes of the tags feature (documented in docs/channels-contacts-tags.md). */
export const TagErrorCode = {
  TAG_NOT_FOUND: 'TAG_NOT_FOUND',
  TAG_NAME_TAKEN: 'TAG_NAME_TAKEN',
  ID_MISMATCH: 'ID_MISMATCH',
} as const;
