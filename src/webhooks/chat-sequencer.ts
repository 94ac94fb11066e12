import { Injectable } from '@nestjs/common';
import { KeyedMutex } from '../store/keyed-mutex';
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
 *
 * Calls of one chat take turns (a FIFO async-mutex per chat): numbers follow call order, and
 * one reservation serves every caller that waited for it.
 */
@Injectable()
export class ChatSequencer {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  private readonly turns = new KeyedMutex();

  constructor(private readonly repo: ChatSequencesRepository) {}

  next(channelId: string, chatId: string): Promise<number> {
    const key = `${channelId}:${chatId}`;
    return this.turns.run(key, async () => {
      let block = this.blocks.get(key);
      if (!block || block.next > block.end) {
        const top = await this.repo.reserve(key, SEQ_BLOCK);
        if (this.blocks.size >= MAX_CHATS) this.blocks.clear();
        block = { next: top - SEQ_BLOCK + 1, end: top };
        this.blocks.set(key, block);
      }
      return block.next++;
    });
  }
}
