import { Injectable } from '@nestjs/common';
import { ChatSequencesRepository } from './chat-sequences.repository';

/** Numbers reserved per database write; a restart or a cache eviction leaves a gap, never a repeat. */
export const SEQ_BLOCK = 100;
const MAX_CHATS = 50_000;

/**
 * The per-chat `seq` of payloads. The counter row in MongoDB holds the highest number ever
 * handed out; this process reserves blocks of SEQ_BLOCK with one atomic $inc and hands them
 * out in memory, so numbering costs one write per hundred events of a chat instead of one each.
 *
 * Order holds because every event of a chat is recorded by the process that owns the chat's
 * WhatsApp session (one owner per channel, by lease): numbers increase in the order events are
 * recorded. A new owner reserves a block above everything reserved before, so numbers keep
 * increasing across failovers, with a gap.
 */
@Injectable()
export class ChatSequencer {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  private readonly reserving = new Map<string, Promise<void>>();

  constructor(private readonly repo: ChatSequencesRepository) {}

  async next(channelId: string, chatId: string): Promise<number> {
    const key = `${channelId}:${chatId}`;
    for (;;) {
      const block = this.blocks.get(key);
      if (block && block.next <= block.end) return block.next++;
      let pending = this.reserving.get(key);
      if (!pending) {
        pending = this.repo
          .reserve(key, SEQ_BLOCK)
          .then((top) => {
            if (this.blocks.size >= MAX_CHATS) this.blocks.clear();
            this.blocks.set(key, { next: top - SEQ_BLOCK + 1, end: top });
          })
          .finally(() => this.reserving.delete(key));
        this.reserving.set(key, pending);
      }
      await pending;
    }
  }
}
