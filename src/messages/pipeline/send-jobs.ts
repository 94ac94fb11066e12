/**
 * Jobs of a channel's send queue (`send-<channelId>`: BullMQ refuses `:` in queue names). One queue
 * per WhatsApp session, worked by one worker with concurrency 1 in the process owning the session:
 * sends, reactions and deletes of a number run in the order they were accepted, paced together.
 */
export type SendJobData =
  | { op: 'send'; clientIdentifier: string; messageId: string }
  | { op: 'react'; clientIdentifier: string; messageId: string; emoji: string }
  | { op: 'delete'; clientIdentifier: string; messageId: string };

/** What a reaction or delete job returns (BullMQ keeps it for the waiting API call). */
export type ActionResult =
  | { op: 'react'; messageId: string; emoji: string }
  | { op: 'delete'; messageId: string; outcome: 'revoked' | 'deleted_for_me' };

export function sendQueueName(channelId: string): string {
  return `send-${channelId}`;
}
