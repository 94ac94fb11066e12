import { Received, waitFor, WebhookReceiver } from './receiver';

/** What a burst left at the receiver: which messages got a 2xx, and the ids they came with. */
export interface DeliveryAudit {
  /** waMessageId → webhook-ids seen for it (must be exactly one). */
  idsByMessage: Map<string, Set<string>>;
  /** waMessageIds answered 2xx at least once. */
  acknowledged: Set<string>;
  /** Requests per message (1 = no duplicate). */
  copies: Map<string, number>;
}

const waIdOf = (r: Received): string | undefined => {
  try {
    const p = JSON.parse(r.body) as { type?: string; data?: { message?: { waMessageId?: string } } };
    return p.type === 'message.received' ? p.data?.message?.waMessageId : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Wraps a receiver so every request is audited, and `ok(r)` says whether the reply the receiver
 * gave was a 2xx (set by the fault's own reply function).
 */
export class Auditor {
  readonly audit: DeliveryAudit = { idsByMessage: new Map(), acknowledged: new Set(), copies: new Map() };

  constructor(readonly receiver: WebhookReceiver) {}

  /** Install a reply function; the auditor records which replies were 2xx. */
  serve(reply: (r: Received, i: number) => ReturnType<WebhookReceiver['reply']>): void {
    this.receiver.reply = (r, i) => {
      const answer = reply(r, i);
      const id = waIdOf(r);
      if (id) {
        const ids = this.audit.idsByMessage.get(id) ?? new Set<string>();
        ids.add(String(r.headers['webhook-id']));
        this.audit.idsByMessage.set(id, ids);
        this.audit.copies.set(id, (this.audit.copies.get(id) ?? 0) + 1);
        if (answer !== 'hang' && answer.status >= 200 && answer.status < 300) {
          if (answer.delayMs) setTimeout(() => this.audit.acknowledged.add(id), answer.delayMs);
          else this.audit.acknowledged.add(id);
        }
      }
      return answer;
    };
  }

  async allAcknowledged(ids: Iterable<string>, timeoutMs: number): Promise<void> {
    const wanted = [...ids];
    await waitFor(
      `${wanted.length} messages acknowledged`,
      () => wanted.every((id) => this.audit.acknowledged.has(id)),
      timeoutMs,
      100,
    ).catch((err: Error) => {
      const missing = wanted.filter((id) => !this.audit.acknowledged.has(id));
      throw new Error(`${err.message}; ${missing.length} missing, e.g. ${missing.slice(0, 3).join(', ')}`);
    });
  }

  /** Every copy of a message carried the same webhook-id; returns how many messages came more than once. */
  duplicates(): { messagesWithCopies: number; extraCopies: number; idsPerMessage: number[] } {
    let messagesWithCopies = 0;
    let extraCopies = 0;
    for (const n of this.audit.copies.values()) {
      if (n > 1) {
        messagesWithCopies++;
        extraCopies += n - 1;
      }
    }
    return { messagesWithCopies, extraCopies, idsPerMessage: [...new Set([...this.audit.idsByMessage.values()].map((s) => s.size))] };
  }
}
