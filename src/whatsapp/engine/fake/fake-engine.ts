import { randomBytes } from 'node:crypto';
import {
  AckLevel,
  ChatId,
  DeleteOutcome,
  EngineGroup,
  EngineListener,
  EngineMessage,
  EngineSession,
  InboundEngineEvent,
  MediaPayload,
  MessagingEngine,
  OutboundContent,
  SendOptions,
  SentMessage,
  SessionSpec,
} from '../messaging-engine.port';

/**
 * A fast in-memory engine for unit tests: no browser, no WhatsApp. Register it under the
 * real token (`{ provide: MessagingEngine, useValue: new FakeMessagingEngine() }`) and drive
 * each session as the phone would: `fake.session(channelId).link()`, `.receive(...)`,
 * `.disconnect('CONFLICT')`, `.crash()`. Links survive stop/start like LocalAuth on disk.
 */
export class FakeMessagingEngine extends MessagingEngine {
  readonly name = 'fake';
  /** Every session created, oldest first. */
  readonly created: FakeEngineSession[] = [];
  /** Profiles (by dataDir) holding a link, with the linked account's id. */
  readonly linkedProfiles = new Map<string, string>();
  /** The next `n` calls to start() reject (a browser that does not launch). */
  failNextStarts = 0;
  /** start() never resolves and emits nothing (a hung browser) for the next `n` sessions. */
  hangNextStarts = 0;

  createSession(spec: SessionSpec, listener: EngineListener): EngineSession {
    const session = new FakeEngineSession(this, spec, listener);
    this.created.push(session);
    return session;
  }

  /** The most recent session of a channel. */
  session(channelId: string): FakeEngineSession {
    const found = [...this.created].reverse().find((s) => s.channelId === channelId);
    if (!found) throw new Error(`no fake session was created for channel ${channelId}`);
    return found;
  }

  /** Sessions whose browser would be running now. */
  running(): FakeEngineSession[] {
    return this.created.filter((s) => s.status === 'running');
  }
}

let pidCounter = 100_000;

export interface FakeSent {
  id: string;
  chatId: ChatId;
  content: OutboundContent;
  options?: SendOptions;
}

export class FakeEngineSession implements EngineSession {
  status: 'new' | 'running' | 'stopped' | 'logged_out' = 'new';
  readonly sent: FakeSent[] = [];
  readonly reactions: { messageId: string; emoji: string }[] = [];
  readonly deletions: { messageId: string; forEveryone: boolean }[] = [];
  readonly forwards: { messageId: string; chatId: ChatId }[] = [];
  readonly pairingRequests: string[] = [];
  /** Media by message id, for downloadMedia (received and sent media are stored here). */
  readonly media = new Map<string, MediaPayload>();
  /** What deleteMessage(…, true) reports (WhatsApp downgrades revokes after its window). */
  deleteOutcome: DeleteOutcome = 'revoked';
  /** What listGroups() answers: set it as the phone's group list. */
  groups: EngineGroup[] = [];
  private pid?: number;
  private qrCount = 0;

  constructor(
    private readonly engine: FakeMessagingEngine,
    readonly spec: SessionSpec,
    private readonly listener: EngineListener,
  ) {}

  get channelId(): string {
    return this.spec.channelId;
  }

  async start(): Promise<void> {
    if (this.engine.failNextStarts > 0) {
      this.engine.failNextStarts--;
      throw new Error('fake browser failed to launch');
    }
    this.status = 'running';
    this.pid = pidCounter++;
    if (this.engine.hangNextStarts > 0) {
      this.engine.hangNextStarts--;
      return;
    }
    const linked = this.engine.linkedProfiles.get(this.spec.dataDir);
    // Events come after start() resolves, as with the real library.
    void Promise.resolve().then(() => {
      if (this.status !== 'running') return;
      if (linked) {
        this.listener.onAuthenticated();
        this.listener.onReady({ wid: linked, pushname: 'Fake Phone' });
      } else this.showQr();
    });
  }

  async stop(): Promise<void> {
    if (this.status === 'running') this.status = 'stopped';
    this.pid = undefined;
  }

  async logout(): Promise<void> {
    this.engine.linkedProfiles.delete(this.spec.dataDir);
    this.status = 'logged_out';
    this.pid = undefined;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.assertRunning();
    this.pairingRequests.push(phoneNumber);
    const code = randomBytes(4).toString('hex').toUpperCase();
    this.listener.onPairingCode?.(code);
    return code;
  }

  browserPid(): number | undefined {
    return this.pid;
  }

  async sendMessage(chatId: ChatId, content: OutboundContent, options?: SendOptions): Promise<SentMessage> {
    this.assertRunning();
    const id = `true_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`;
    this.sent.push({ id, chatId, content, options });
    if (content.kind === 'media' || content.kind === 'sticker') this.media.set(id, content.media);
    return { id, timestamp: Math.floor(Date.now() / 1000) };
  }

  async react(messageId: string, emoji: string): Promise<void> {
    this.assertRunning();
    this.reactions.push({ messageId, emoji });
  }

  async forward(messageId: string, chatId: ChatId): Promise<SentMessage | undefined> {
    this.assertRunning();
    this.forwards.push({ messageId, chatId });
    return undefined;
  }

  async deleteMessage(messageId: string, forEveryone: boolean): Promise<DeleteOutcome> {
    this.assertRunning();
    this.deletions.push({ messageId, forEveryone });
    return forEveryone ? this.deleteOutcome : 'deleted_for_me';
  }

  async downloadMedia(messageId: string): Promise<MediaPayload | undefined> {
    this.assertRunning();
    return this.media.get(messageId);
  }

  async listGroups(): Promise<EngineGroup[]> {
    this.assertRunning();
    return this.groups.map((g) => ({ ...g, participants: [...g.participants] }));
  }

  // ------------------------------------------------------------------ acting as the phone

  /** A new QR (WhatsApp rotates it). */
  showQr(qr = `fake-qr-${++this.qrCount}`): void {
    this.listener.onQr(qr);
  }

  /** The phone scanned the QR (or typed the pairing code). */
  link(wid = '5511999990000@c.us', pushname = 'Fake Phone'): void {
    this.engine.linkedProfiles.set(this.spec.dataDir, wid);
    this.listener.onAuthenticated();
    this.listener.onReady({ wid, pushname });
  }

  /** LOGOUT, CONFLICT, UNPAIRED, NAVIGATION… as the library reports them. */
  disconnect(reason: string): void {
    if (reason === 'LOGOUT' || reason === 'UNPAIRED') this.engine.linkedProfiles.delete(this.spec.dataDir);
    this.listener.onDisconnected(reason);
  }

  /** The browser process died. */
  crash(): void {
    this.status = 'stopped';
    this.pid = undefined;
    this.listener.onDisconnected('BROWSER_CRASHED');
  }

  /** Any engine event (ack, revoke, edit, reaction, group change). */
  emit(event: InboundEngineEvent): void {
    this.listener.onEvent(event);
  }

  /** An inbound message with sensible defaults; returns it. */
  receive(partial: Partial<EngineMessage> & { chatId: ChatId }, media?: MediaPayload): EngineMessage {
    const message: EngineMessage = {
      id: `false_${partial.chatId}_${randomBytes(10).toString('hex').toUpperCase()}`,
      senderId: partial.chatId,
      isGroup: partial.chatId.endsWith('@g.us'),
      fromMe: false,
      timestamp: Math.floor(Date.now() / 1000),
      kind: media ? 'image' : 'text',
      ...partial,
    };
    if (media) this.media.set(message.id, media);
    this.listener.onEvent({ type: 'message', message });
    return message;
  }

  ack(messageId: string, chatId: ChatId, ack: AckLevel): void {
    this.listener.onEvent({ type: 'ack', messageId, chatId, ack });
  }

  private assertRunning(): void {
    if (this.status !== 'running') throw new Error(`fake session of ${this.channelId} is ${this.status}`);
  }
}
