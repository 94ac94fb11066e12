export const WebhookErrorCode = {
  WEBHOOK_EVENT_NOT_FOUND: 'WEBHOOK_EVENT_NOT_FOUND',
  /** A replay of an event whose delivery is running right now. */
  WEBHOOK_EVENT_IN_FLIGHT: 'WEBHOOK_EVENT_IN_FLIGHT',
  /** Replay to an endpoint the channel no longer has, or that is disabled (410 or by the platform). */
  WEBHOOK_ENDPOINT_NOT_FOUND: 'WEBHOOK_ENDPOINT_NOT_FOUND',
  WEBHOOK_ENDPOINT_DISABLED: 'WEBHOOK_ENDPOINT_DISABLED',
} as const;
