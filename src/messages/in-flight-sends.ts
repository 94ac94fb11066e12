import type { MessageView } from './message.types';

/** What an echo of one of our sends is matched on. */
export interface InFlightSend {
  messageId: string;
  chatId: string;
  kind: MessageView['kind'];
  body?: string;
  caption?: string;
  vcards?: string[];
  waMessageId?: string;
  /** Epoch ms after which the entry is dropped. */
  until: number;
}

/** Sends stay recognisable this long after they were claimed (and forwards/cards after they were sent). */
export const IN_FLIGHT_TTL_MS = 120_000;

/**
 * Our sends between "claimed" and "WhatsApp id known", per channel, in the process that sends them.
 * WhatsApp reports each of our sends back (`message_create`), often before the send call returns;
 * the inbound pipeline's store looks here to attach that echo to our record instead of storing a
 * copy. In memory by design: the worker and the inbound pipeline of a channel run in one process.
 */
export class InFlightSends {
  private readonly byChannel = new Map<string, InFlightSend[]>();

  add(channelId: string, entry: Omit<InFlightSend, 'until'>): void {
    const list = this.live(channelId).filter((e) => e.messageId !== entry.messageId);
    list.push({ ...entry, until: Date.now() + IN_FLIGHT_TTL_MS });
    this.byChannel.set(channelId, list);
  }

  /** The send an echo belongs to: same chat; same card, or same text/caption, and no id yet. */
  match(channelId: string, echo: { chatId: string; kind: string; body?: string; caption?: string; vcards?: string[] }): InFlightSend | undefined {
    const card = echo.kind === 'contacts' ? echo.vcards?.[0] : undefined;
    return this.live(channelId).find((e) => {
      if (e.chatId !== echo.chatId) return false;
      if (card !== undefined) return e.vcards?.includes(card) ?? false;
      if (e.waMessageId) return false;
      if (echo.body !== undefined) return e.body === echo.body;
      if (echo.caption !== undefined) return e.caption === echo.caption;
      return e.body === undefined && e.caption === undefined;
    });
  }

  setWaId(channelId: string, messageId: string, waMessageId: string): void {
    const entry = this.live(channelId).find((e) => e.messageId === messageId);
    if (entry) entry.waMessageId = waMessageId;
  }

  /** Done with a send: forgotten now, or kept a while when more echoes may come (cards, forwards). */
  settle(channelId: string, messageId: string, keep: boolean): void {
    const list = this.live(channelId);
    if (keep) {
      const entry = list.find((e) => e.messageId === messageId);
      if (entry) entry.until = Date.now() + IN_FLIGHT_TTL_MS;
      return;
    }
    const rest = list.filter((e) => e.messageId !== messageId);
    if (rest.length) this.byChannel.set(channelId, rest);
    else this.byChannel.delete(channelId);
  }

  private live(channelId: string): InFlightSend[] {
    const now = Date.now();
    const list = (this.byChannel.get(channelId) ?? []).filter((e) => e.until > now);
    if (list.length) this.byChannel.set(channelId, list);
    else this.byChannel.delete(channelId);
    return list;
  }
}
