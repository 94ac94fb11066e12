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

/** Interactive messages of the official API (WhatsApp Web has none). */
export interface InteractiveContent {
  type: 'button' | 'list' | 'cta_url' | 'location_request';
  header?: string;
  body: string;
  footer?: string;
  /** type button: 1 to 3 reply buttons. */
  buttons?: { id: string; title: string }[];
  /** type list: the button that opens the list, and its sections. */
  buttonText?: string;
  sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  /** type cta_url: the button's label and the URL it opens. */
  displayText?: string;
  url?: string;
}

/** A pre-approved template (official API): name, language code and Meta's components (parameters). */
export interface TemplateContent {
  name: string;
  language: string;
  components?: Record<string, unknown>[];
}

export type OutboundContent =
  | { kind: 'text'; text: string; previewUrl?: boolean }
  /** image, video, audio or document, chosen by the caller from the sniffed mime type. */
  | { kind: 'media'; media: MediaPayload; caption?: string; asDocument?: boolean; asVoice?: boolean }
  | { kind: 'sticker'; media: MediaPayload }
  /** One vCard 3.0 string per contact card. */
  | { kind: 'contacts'; vcards: string[] }
  /** An address is a location with a name and address line. */
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string }
  | { kind: 'interactive'; interactive: InteractiveContent }
  | { kind: 'template'; template: TemplateContent };

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
  | 'interactive'
  | 'template'
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
  media?: { mimetype: string; filename?: string; size?: number; sha256?: string; voice?: boolean; providerRef?: string };
  mentions?: ChatId[];
  /** Official API: the customer tapped a reply button or a list row (body holds its title). */
  interactiveReply?: { type: 'button_reply' | 'list_reply'; id: string; title: string; description?: string };
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

/** An error the provider reported for a message (official API: Meta's code and title). */
export interface ProviderError {
  code: number;
  title: string;
  details?: string;
}

export type AckLevel = 'failed' | 'pending' | 'sent' | 'delivered' | 'read' | 'played';

/** Everything WhatsApp tells us about chats, normalised. */
export type InboundEngineEvent =
  | { type: 'message'; message: EngineMessage }
  | { type: 'ack'; messageId: string; chatId: ChatId; ack: AckLevel; error?: ProviderError; pricing?: { category: string; billable?: boolean } }
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

/**
 * What the send queue and the inbound pipeline need from a channel's provider, whatever it is: a
 * WhatsApp Web session or a stateless HTTP client of the official API. Optional members are
 * capabilities some providers lack; callers check the provider's declared capabilities first.
 */
export interface ChannelMessenger {
  readonly channelId: string;
  sendMessage(chatId: ChatId, content: OutboundContent, options?: SendOptions): Promise<SentMessage>;
  /** `chatId`: the chat the message is in (the official API needs the recipient; WhatsApp Web ignores it). */
  react(messageId: string, emoji: string, chatId?: ChatId): Promise<void>;
  forward(messageId: string, chatId: ChatId): Promise<SentMessage | undefined>;
  deleteMessage(messageId: string, forEveryone: boolean): Promise<DeleteOutcome>;
  /** `ref`: the provider's media reference when it has one apart from the message id (official API media id). */
  downloadMedia(messageId: string, ref?: string): Promise<MediaPayload | undefined>;
  /** Optional: tell the sender their message was read (official API mark-as-read). */
  markRead?(messageId: string): Promise<void>;
}

/** One linked WhatsApp Web number. Created by the engine, driven by the session manager. */
export interface EngineSession extends ChannelMessenger {
  /** Launches the browser and starts linking or restoring; resolves once it is under way. */
  start(): Promise<void>;
  /** Closes the browser; the link is kept for the next start. */
  stop(): Promise<void>;
  /** Unlinks the device; the next start needs a new scan. */
  logout(): Promise<void>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Root process of the browser, for memory accounting and crash tests. */
  browserPid(): number | undefined;
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
