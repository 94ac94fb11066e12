/** Error codes of stored media and its signed links. */
export const MediaErrorCode = {
  MEDIA_NOT_FOUND: 'MEDIA_NOT_FOUND',
  /** The signature does not match (tampered, or signed with another secret). */
  MEDIA_LINK_INVALID: 'MEDIA_LINK_INVALID',
  /** The link was valid but its `exp` has passed. */
  MEDIA_LINK_EXPIRED: 'MEDIA_LINK_EXPIRED',
} as const;
