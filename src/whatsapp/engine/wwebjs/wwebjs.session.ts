import { Logger } from '@nestjs/common';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, LocalAuth, Location, Message, MessageMedia } from 'whatsapp-web.js';
import { AppError } from '../../../common/errors/app-error';
import { SandboxPageDriver } from '../../sandbox/sandbox-page-driver';
import { WhatsappErrorCode } from '../../whatsapp.errors';
import type {
  ChatId,
  DeleteOutcome,
  EngineGroup,
  EngineListener,
  EngineSession,
  MediaPayload,
  OutboundContent,
  SendOptions,
  SentMessage,
  SessionSpec,
} from '../messaging-engine.port';
import type { ChromiumLaunch } from './chromium-launch';
import { killProfileBrowsers, removeProfileLocks } from './chromium-processes';
import { toEngineGroups, WChat } from './group-mapper';
import {
  ackEvent,
  editEvent,
  groupEvent,
  isReportable,
  reactionEvent,
  revokeEvent,
  toEngineMessage,
  WGroupNotification,
  WMessage,
  WReaction,
} from './message-mapper';

/** Client options that differ between real WhatsApp Web and the offline sandbox page. */
export interface WwebjsClientExtras {
  webVersion?: string;
  webVersionCache?: Record<string, unknown>;
  evalOnNewDoc?: () => void;
}

export interface WwebjsSessionOptions {
  engineName: string;
  launch: ChromiumLaunch;
  extras: WwebjsClientExtras;
  /** Sandbox mode: expose the page driver through `sandbox()`. */
  sandbox: boolean;
  /** How long to wait for `message_revoke_everyone` to tell a revoke from a delete-for-me. */
  revokeConfirmMs?: number;
  /** How long a forward waits for its copy's `message_create` (which carries the copy's id). */
  forwardEchoMs?: number;
}

/**
 * One WhatsApp Web account in its own Chromium, through whatsapp-web.js with LocalAuth (the
 * profile in `<dataDir>/session` is the link). Stale browsers and profile locks are cleared
 * before a launch; every failure path destroys the client, and stop() kills whatever of the
 * profile's processes survive it.
 */
export class WwebjsSession implements EngineSession {
  private client?: Client;
  private stopping = false;
  /** When the page last handed over an event (for quiesce). */
  private lastEventAt = 0;
  /** The library reported a disconnect (and closes the browser itself). */
  private gone = false;
  private readonly logger: Logger;

  constructor(
    private readonly spec: SessionSpec,
    private readonly listener: EngineListener,
    private readonly options: WwebjsSessionOptions,
  ) {
    this.logger = new Logger(`Wwebjs ${spec.channelId}`);
  }

  get channelId(): string {
    return this.spec.channelId;
  }

  /** LocalAuth keeps the profile in `<dataPath>/session` when no clientId is given. */
  get profileDir(): string {
    return join(this.spec.dataDir, 'session');
  }

  async start(): Promise<void> {
    if (this.client) throw new Error('session already started');
    const stale = await killProfileBrowsers(this.profileDir);
    if (stale) this.logger.warn({ processes: stale }, 'Killed a stale browser of this profile');
    await mkdir(this.spec.dataDir, { recursive: true });
    await removeProfileLocks(this.profileDir);
    const client = new Client({
      authStrategy: new LocalAuth({ dataPath: this.spec.dataDir }),
      puppeteer: { ...this.options.launch, args: [...this.options.launch.args] },
      ...this.options.extras,
    } as ConstructorParameters<typeof Client>[0]);
    this.client = client;
    this.wire(client);
    try {
      await client.initialize();
    } catch (err) {
      await this.closeBrowser();
      if (this.stopping) return;
      throw err;
    }
    if (this.stopping) return void (await this.closeBrowser());
    const browser = client.pupBrowser;
    const crashed = (what: string) => {
      if (this.stopping || this.gone) return;
      this.gone = true;
      this.listener.onDisconnected(what);
    };
    browser?.on('disconnected', () => crashed('BROWSER_CRASHED'));
    client.pupPage?.on('error', () => crashed('PAGE_CRASHED'));
    if (!browser?.isConnected()) crashed('BROWSER_CRASHED');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.quiesce();
    await this.closeBrowser();
  }

  async logout(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    try {
      if (client?.pupPage && !client.pupPage.isClosed()) await client.logout();
    } finally {
      await this.closeBrowser();
    }
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    return this.live().requestPairingCode(phoneNumber);
  }

  browserPid(): number | undefined {
    return this.client?.pupBrowser?.process()?.pid ?? undefined;
  }

  sandbox(): SandboxPageDriver | undefined {
    // A stopping session takes no new traffic: its event source is being closed.
    if (!this.options.sandbox || !this.client?.pupPage || this.stopping) return undefined;
    return new SandboxPageDriver(this.client.pupPage);
  }

  // ------------------------------------------------------------------------------ messaging

  async sendMessage(chatId: ChatId, content: OutboundContent, options: SendOptions = {}): Promise<SentMessage> {
    const client = this.live();
    const common = {
      quotedMessageId: options.quotedMessageId,
      mentions: options.mentions,
      // Replying is not reading: marking chats read stays an explicit decision.
      sendSeen: false,
    };
    let sent: Message | undefined;
    switch (content.kind) {
      case 'text':
        sent = await client.sendMessage(chatId, content.text, { ...common, linkPreview: false });
        break;
      case 'media':
        sent = await client.sendMessage(chatId, toMedia(content.media), {
          ...common,
          caption: content.caption,
          sendMediaAsDocument: content.asDocument,
          sendAudioAsVoice: content.asVoice,
        });
        break;
      case 'sticker':
        sent = await client.sendMessage(chatId, toMedia(content.media), { ...common, sendMediaAsSticker: true });
        break;
      case 'contacts':
        // One message per card: the library parses a vCard string into a contact card.
        for (const [i, vcard] of content.vcards.entries())
          sent = await client.sendMessage(chatId, vcard, { ...common, quotedMessageId: i === 0 ? common.quotedMessageId : undefined, parseVCards: true });
        break;
      case 'location': {
        const description = content.name || content.address || content.url ? { name: content.name, address: content.address, url: content.url } : undefined;
        sent = await client.sendMessage(chatId, new Location(content.latitude, content.longitude, description), common);
        break;
      }
    }
    if (!sent) throw AppError.unprocessable(WhatsappErrorCode.WA_MESSAGE_UNAVAILABLE, `WhatsApp did not accept the message for ${chatId}`);
    return { id: sent.id._serialized, timestamp: sent.timestamp };
  }

  async react(messageId: string, emoji: string): Promise<void> {
    await (await this.message(messageId)).react(emoji);
  }

  /**
   * The library returns nothing: the copy arrives as our own `message_create` in the target chat,
   * flagged forwarded. Its id is taken from there (bounded wait), so the `sent` status carries
   * WhatsApp's id like any other send; undefined only when no copy showed up in time.
   */
  async forward(messageId: string, chatId: ChatId): Promise<SentMessage | undefined> {
    const client = this.live();
    const msg = await this.message(messageId);
    let onCreate: ((m: Message) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const copy = new Promise<SentMessage | undefined>((resolve) => {
      onCreate = (m: Message) => {
        if (m.fromMe && m.id.remote === chatId && m.isForwarded) resolve({ id: m.id._serialized, timestamp: m.timestamp });
      };
      timer = setTimeout(() => resolve(undefined), this.options.forwardEchoMs ?? 5_000);
      client.on('message_create', onCreate);
    });
    try {
      await msg.forward(chatId);
      return await copy;
    } finally {
      clearTimeout(timer);
      if (onCreate) client.off('message_create', onCreate);
    }
  }

  async deleteMessage(messageId: string, forEveryone: boolean): Promise<DeleteOutcome> {
    const client = this.live();
    const msg = await this.message(messageId);
    if (!forEveryone) {
      await msg.delete(false);
      return 'deleted_for_me';
    }
    // WhatsApp silently downgrades a revoke after its window: only the event proves it.
    const confirmed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), this.options.revokeConfirmMs ?? 5_000);
      const onRevoke = (after: Message) => {
        if (after.id._serialized === messageId || after.id.id === msg.id.id) done(true);
      };
      const done = (value: boolean) => {
        clearTimeout(timer);
        client.off('message_revoke_everyone', onRevoke);
        resolve(value);
      };
      client.on('message_revoke_everyone', onRevoke);
    });
    await msg.delete(true);
    return (await confirmed) ? 'revoked' : 'deleted_for_me';
  }

  async downloadMedia(messageId: string): Promise<MediaPayload | undefined> {
    const msg = await this.message(messageId);
    if (!msg.hasMedia) return undefined;
    const media = await msg.downloadMedia();
    if (!media) return undefined;
    return { mimetype: media.mimetype, dataBase64: media.data, ...(media.filename ? { filename: media.filename } : {}) };
  }

  /**
   * The library's chat list, groups only. getChats() serialises every chat (a real account's
   * thousands take seconds), but it is the library's maintained view of WhatsApp Web's internals,
   * including the privacy-id to phone mapping of participants; the caller bounds the wait.
   */
  async listGroups(): Promise<EngineGroup[]> {
    const client = this.live();
    const chats = await client.getChats();
    // In groups that address members by privacy id, the library may not map us back to our number.
    const lid = await client.pupPage
      ?.evaluate(() => {
        const w = window as unknown as { require(m: string): { getMaybeMeLidUser?(): { _serialized?: string } | undefined } };
        return w.require('WAWebUserPrefsMeUser').getMaybeMeLidUser?.()?._serialized;
      })
      .catch(() => undefined);
    const me = [this.me(), lid].filter((id): id is string => !!id);
    return toEngineGroups(chats as unknown as WChat[], me);
  }

  // ------------------------------------------------------------------------------ internals

  private live(): Client {
    if (!this.client || this.stopping || this.gone) throw new Error(`WhatsApp session of ${this.channelId} is not running`);
    return this.client;
  }

  private async message(messageId: string): Promise<Message> {
    const msg = await this.live().getMessageById(messageId);
    if (!msg)
      throw AppError.unprocessable(
        WhatsappErrorCode.WA_MESSAGE_UNAVAILABLE,
        'WhatsApp Web no longer holds this message in memory (only recent messages can be acted on)',
        { messageId },
      );
    return msg;
  }

  private me(): string | undefined {
    return this.client?.info?.wid?._serialized;
  }

  /**
   * Closing the source before the browser: `stopping` already refuses new work; events the page
   * handed over are still on their way (puppeteer resolves a binding's arguments with one more
   * round trip before the library emits). One round trip of our own lines up behind them; then
   * wait until the page has been quiet for QUIET_MS (bounded), so the browser never closes under
   * an event WhatsApp Web already gave us.
   */
  private async quiesce(): Promise<void> {
    const page = this.client?.pupPage;
    if (!page || page.isClosed() || this.gone) return;
    await Promise.race([page.evaluate('1').catch(() => undefined), sleep(QUIESCE_MAX_MS)]);
    const deadline = Date.now() + QUIESCE_MAX_MS;
    while (Date.now() < deadline && Date.now() - this.lastEventAt < QUIET_MS) await sleep(25);
  }

  private wire(client: Client): void {
    const events = this.listener;
    const l: EngineListener = {
      ...events,
      onEvent: (event) => {
        this.lastEventAt = Date.now();
        events.onEvent(event);
      },
    };
    const safe =
      <A extends unknown[]>(name: string, fn: (...args: A) => void) =>
      (...args: A) => {
        try {
          fn(...args);
        } catch (err) {
          this.logger.error({ err, event: name }, 'Could not map a whatsapp-web.js event');
        }
      };
    client.on('qr', safe('qr', (qr: string) => l.onQr(qr)));
    client.on('code', safe('code', (code: string) => l.onPairingCode?.(code)));
    client.on('authenticated', safe('authenticated', () => l.onAuthenticated()));
    client.on(
      'ready',
      safe('ready', () => l.onReady({ wid: this.me() ?? '', pushname: client.info?.pushname })),
    );
    client.on(
      'disconnected',
      safe('disconnected', (reason: unknown) => {
        if (this.stopping) return;
        this.gone = reason !== 'LOGOUT' ? true : this.gone;
        l.onDisconnected(String(reason));
      }),
    );
    client.on(
      'message_create',
      safe('message_create', (msg: Message) => {
        const m = msg as unknown as WMessage;
        if (isReportable(m)) l.onEvent({ type: 'message', message: toEngineMessage(m, this.me()) });
      }),
    );
    client.on('message_ack', safe('message_ack', (msg: Message, ack: number) => l.onEvent(ackEvent(msg as unknown as WMessage, ack))));
    client.on(
      'message_revoke_everyone',
      safe('message_revoke_everyone', (after: Message, before?: Message | null) =>
        l.onEvent(revokeEvent(after as unknown as WMessage, (before ?? undefined) as unknown as WMessage | undefined)),
      ),
    );
    client.on(
      'message_edit',
      safe('message_edit', (msg: Message, newBody: unknown, prevBody: unknown) =>
        l.onEvent(editEvent(msg as unknown as WMessage, String(newBody ?? ''), prevBody === undefined ? undefined : String(prevBody))),
      ),
    );
    client.on('message_reaction', safe('message_reaction', (r: unknown) => l.onEvent(reactionEvent(r as WReaction))));
    client.on('group_join', safe('group_join', (n: unknown) => l.onEvent(groupEvent('group_join', n as WGroupNotification))));
    client.on('group_leave', safe('group_leave', (n: unknown) => l.onEvent(groupEvent('group_leave', n as WGroupNotification))));
  }

  /** destroy(), bounded; then kill whatever of the profile's browser is left. */
  private async closeBrowser(): Promise<void> {
    const client = this.client;
    const proc = client?.pupBrowser?.process();
    if (this.gone && proc && proc.exitCode === null && proc.signalCode === null) {
      // The library is already closing the browser (after CONFLICT, UNPAIRED…): a second
      // close() would kill it mid-shutdown, before it flushed the profile (the link).
      await Promise.race([once(proc, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
    } else if (client) {
      await Promise.race([
        client.destroy().catch((err: unknown) => this.logger.debug({ err }, 'destroy() failed')),
        new Promise((r) => setTimeout(r, 5_000)),
      ]);
    }
    const killed = await killProfileBrowsers(this.profileDir);
    if (killed) this.logger.warn({ processes: killed }, 'Browser processes survived destroy(); killed them');
    await removeProfileLocks(this.profileDir);
  }
}

const QUIET_MS = 300;
const QUIESCE_MAX_MS = 3_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toMedia(media: MediaPayload): MessageMedia {
  return new MessageMedia(media.mimetype, media.dataBase64, media.filename ?? null);
}
