/**
 * The messaging-provider port. Everything outside src/whatsapp/engine/wwebjs talks to
 * WhatsApp through these types only; whatsapp-web.js is imported in that one folder.
 * A future official-API provider implements the same port. Change it additively.
 */

/** `5521999999999@c.us` (phone), `…@lid` (privacy id) or `…@g.us` (group). */
export type ChatId = string;

export interface MediaPayload {
  mimetype: string;
  dataBase64: string;
  filename?: string;
}

export type OutboundContent =
  | { kind: 'text'; text: string }
  /** image, video, audio or document, chosen by the caller from the sniffed mime type. */
  | { kind: 'media'; media: MediaPayload; caption?: string; asDocument?: boolean; asVoice?: boolean }
  | { kind: 'sticker'; media: MediaPayload }
  /** One vCard 3.0 string per contact card. */
  | { kind: 'contacts'; vcards: string[] }
  /** An address is a location with a name and address line. */
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string };

export interface SendOptions {
  /** Serialized WhatsApp id of the message to reply to. */
  quotedMessageId?: string;
  mentions?: ChatId[];
}

export interface SentMessage {
  /** Serialized WhatsApp message id (`true_<chat>_<id>[_<participant>]`). */
  id: string;
  timestamp: number;
}

/** What a delete for everyone turned out to be: WhatsApp silently downgrades it after its window. */
export type DeleteOutcome = 'revoked' | 'deleted_for_me';

export type MessageKind =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'revoked'
  | 'other';

export interface EngineMessage {
  id: string;
  chatId: ChatId;
  /** Sender: the contact for individual chats, the participant for groups. */
  senderId: ChatId;
  senderName?: string;
  isGroup: boolean;
  fromMe: boolean;
  /** Unix seconds. */
  timestamp: number;
  kind: MessageKind;
  body?: string;
  caption?: string;
  quotedMessageId?: string;
  isForwarded?: boolean;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  vcards?: string[];
  media?: { mimetype: string; filename?: string; size?: number };
  mentions?: ChatId[];
}

/** A member of a WhatsApp group. */
export interface EngineGroupParticipant {
  id: ChatId;
  isAdmin: boolean;
  /** The group's creator (WhatsApp's super admin); also an admin. */
  isSuperAdmin: boolean;
}

/** A group chat the linked account has on its WhatsApp (groups it left included, while the chat is kept). */
export interface EngineGroup {
  /** `<id>@g.us`: what group sends take as the recipient. */
  id: ChatId;
  subject: string;
  participants: EngineGroupParticipant[];
  /** The linked account among the participants; undefined when it is no longer one. */
  me?: EngineGroupParticipant;
}

export type AckLevel = 'failed' | 'pending' | 'sent' | 'delivered' | 'read' | 'played';

/** Everything WhatsApp tells us about chats, normalised. */
export type InboundEngineEvent =
  | { type: 'message'; message: EngineMessage }
  | { type: 'ack'; messageId: string; chatId: ChatId; ack: AckLevel }
  | { type: 'revoke'; messageId: string; chatId: ChatId; senderId?: ChatId; fromMe: boolean }
  | { type: 'edit'; messageId: string; chatId: ChatId; senderId?: ChatId; body: string; previousBody?: string }
  | { type: 'reaction'; messageId: string; chatId: ChatId; senderId: ChatId; emoji: string; timestamp: number }
  | { type: 'group_join' | 'group_leave'; groupId: ChatId; participants: ChatId[]; by?: ChatId; subtype: string };

/** Session lifecycle as the engine reports it; the session manager's state machine consumes these. */
export interface EngineListener {
  onQr(qr: string): void;
  onPairingCode?(code: string): void;
  onAuthenticated(): void;
  onReady(info: { wid: ChatId; pushname?: string }): void;
  /** LOGOUT, CONFLICT, UNPAIRED, NAVIGATION, BROWSER_CRASHED… */
  onDisconnected(reason: string): void;
  onEvent(event: InboundEngineEvent): void;
}

export interface SessionSpec {
  channelId: string;
  clientIdentifier: string;
  /** Directory for this session's browser profile / auth data. */
  dataDir: string;
}

/** One linked WhatsApp number. Created by the engine, driven by the session manager. */
export interface EngineSession {
  readonly channelId: string;
  /** Launches the browser and starts linking or restoring; resolves once it is under way. */
  start(): Promise<void>;
  /** Closes the browser; the link is kept for the next start. */
  stop(): Promise<void>;
  /** Unlinks the device; the next start needs a new scan. */
  logout(): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Root process of the browser, for memory accounting and crash tests. */
  browserPid(): number | undefined;

  sendMessage(chatId: ChatId, content: OutboundContent, options?: SendOptions): Promise<SentMessage>;
  react(messageId: string, emoji: string): Promise<void>;
  forward(messageId: string, chatId: ChatId): Promise<SentMessage | undefined>;
  deleteMessage(messageId: string, forEveryone: boolean): Promise<DeleteOutcome>;
  downloadMedia(messageId: string): Promise<MediaPayload | undefined>;
  /** Optional: the account's group chats. Absent: callers answer 422 ENGINE_FEATURE_UNSUPPORTED. */
  listGroups?(): Promise<EngineGroup[]>;
  /** Engine-specific hook for the sandbox control API; undefined outside sandbox mode. */
  sandbox?(): unknown;
}

/** DI token: builds sessions for one engine (whatsapp-web.js, the sandbox, or a fake). */
export abstract class MessagingEngine {
  abstract readonly name: string;
  abstract createSession(spec: SessionSpec, listener: EngineListener): EngineSession;
  /** Optional: at boot, before any session starts, clears what a dead process left (returns how many processes). */
  boot?(): Promise<number>;
  /** Optional: at shutdown, after every session was stopped, clears what may be left behind (stray browsers). */
  shutdown?(): Promise<void>;
}

/** Thrown for what an engine cannot do; the filter turns it into 422 ENGINE_FEATURE_UNSUPPORTED. */
export class EngineFeatureUnsupportedError extends Error {
  constructor(readonly feature: string, readonly engine: string) {
    super(`${feature} is not supported by the ${engine} engine`);
    this.name = 'EngineFeatureUnsupportedError';
  }
}
