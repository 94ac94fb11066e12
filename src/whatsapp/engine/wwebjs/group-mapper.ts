import type { ChatId, EngineGroup, EngineGroupParticipant } from '../messaging-engine.port';
import { widOf } from './message-mapper';

type Wid = string | { _serialized?: string } | null | undefined;

/** The fields of a whatsapp-web.js Chat (GroupChat when `isGroup`) this mapper reads. */
export interface WChat {
  id: Wid;
  isGroup: boolean;
  name?: string;
  groupMetadata?: {
    subject?: string;
    participants?: Array<{ id: Wid; isAdmin?: boolean; isSuperAdmin?: boolean }>;
  };
}

/**
 * Who a wid is, whatever form it takes: `5521…@c.us`, `5521…:12@c.us` (a device) and the bare
 * digits are one account. The library maps group participants to phone ids where WhatsApp knows
 * the mapping (toPn); a privacy id (`…@lid`) only matches itself.
 */
function accountKey(id: string): string {
  const [user, server = 'c.us'] = id.split('@');
  return `${user.split(':')[0]}@${server === 's.whatsapp.net' ? 'c.us' : server}`;
}

/**
 * The group chats of `getChats()` as the port's groups. `me` holds the linked account's own ids
 * (phone, and privacy id when known) to find its role. Chats without group metadata are skipped.
 */
export function toEngineGroups(chats: WChat[], me: ChatId[]): EngineGroup[] {
  const mine = new Set(me.map(accountKey));
  const groups: EngineGroup[] = [];
  for (const chat of chats) {
    const id = widOf(chat.id);
    if (!chat.isGroup || !id?.endsWith('@g.us') || !chat.groupMetadata) continue;
    const participants: EngineGroupParticipant[] = [];
    for (const p of chat.groupMetadata.participants ?? []) {
      const pid = widOf(p.id);
      if (pid) participants.push({ id: pid, isAdmin: !!(p.isAdmin || p.isSuperAdmin), isSuperAdmin: !!p.isSuperAdmin });
    }
    const self = participants.find((p) => mine.has(accountKey(p.id)));
    groups.push({
      id,
      subject: chat.groupMetadata.subject ?? chat.name ?? '',
      participants,
      ...(self ? { me: self } : {}),
    });
  }
  return groups;
}
