/** Stable error codes of the contacts feature (documented in docs/channels-contacts-tags.md). */
export const ContactErrorCode = {
  CONTACT_NOT_FOUND: 'CONTACT_NOT_FOUND',
  CONTACT_IDENTIFIER_TAKEN: 'CONTACT_IDENTIFIER_TAKEN',
  INVALID_PHONE_NUMBER: 'INVALID_PHONE_NUMBER',
  INVALID_GROUP_ID: 'INVALID_GROUP_ID',
  UNKNOWN_PLATFORM: 'UNKNOWN_PLATFORM',
  ID_MISMATCH: 'ID_MISMATCH',
} as const;
