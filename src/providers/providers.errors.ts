/** Stable error codes of the official-API provider (documented in docs/providers.md). */
export const ProviderErrorCode = {
  /** Meta's GET subscription check with a wrong hub.verify_token (403) or no hub.challenge (400). */
  WEBHOOK_VERIFICATION_FAILED: 'WEBHOOK_VERIFICATION_FAILED',
  /** A delivery whose X-Hub-Signature-256 (Meta) or token header (360dialog) is missing or wrong. */
  WEBHOOK_SIGNATURE_INVALID: 'WEBHOOK_SIGNATURE_INVALID',
  WEBHOOK_PAYLOAD_INVALID: 'WEBHOOK_PAYLOAD_INVALID',
  WEBHOOK_CHANNEL_NOT_FOUND: 'WEBHOOK_CHANNEL_NOT_FOUND',
  /** A free-form message to a contact who has not written in 24 h (templates are allowed). */
  OUTSIDE_SERVICE_WINDOW: 'OUTSIDE_SERVICE_WINDOW',
  /** The template named is not an APPROVED template of the account in that language. */
  TEMPLATE_NOT_FOUND: 'TEMPLATE_NOT_FOUND',
  /** The provider refused a call made for the request (setup's webhook config, template list). */
  PROVIDER_REQUEST_FAILED: 'PROVIDER_REQUEST_FAILED',
  /** The stored credentials cannot be decrypted with the configured keys (see docs/providers.md, rotation). */
  PROVIDER_CREDENTIALS_UNREADABLE: 'PROVIDER_CREDENTIALS_UNREADABLE',
} as const;
