import * as path from 'node:path';
import type { Page } from 'puppeteer';

/**
 * Typed wrapper around the control object (`window.__sandbox`) of the offline WhatsApp Web sandbox page
 * (web/sandbox-1.0.html). The page is coupled to the call sites of whatsapp-web.js 1.34.7; see README.md.
 * No NestJS here: the session manager and the tests both use it.
 */

/** The `webVersion` that makes whatsapp-web.js load the sandbox page from `sandboxWebCacheDir()`. */
export const SANDBOX_WEB_VERSION = 'sandbox-1.0';

/**
 * Directory holding `sandbox-1.0.html`. Resolved from this file, so it works from `src/` (ts-jest) and from
 * `dist/` after `nest build` (nest-cli copies `**\/*.html` assets to the same relative folder).
 */
export function sandboxWebCacheDir(): string {
  return path.join(__dirname, 'web');
}

/** Options read by the page before its script runs (through the Client option `evalOnNewDoc`). */
export interface SandboxConfig {
  /** Own phone number (digits) once linked by QR. Default 15550000001. */
  me?: string;
  pushname?: string;
  platform?: string;
  /** A new QR ref (a new `qr` event) this often while unpaired; 0 = never. Default 20000. */
  qrRefreshMs?: number;
  /** false simulates an expired revoke window: `msg.delete(true)` becomes delete-for-me. Default true. */
  canRevoke?: boolean;
  revokeWindowSec?: number;
  canEdit?: boolean;
  editWindowSec?: number;
  /** Delays in ms for server acks of sent messages (1 sent, 2 delivered, 3 read); null = never. Default { sent: 0 }. */
  autoAck?: { sent?: number | null; delivered?: number | null; read?: number | null };
  /** Numbers that `getNumberId`/`isRegisteredUser` report as not on WhatsApp. */
  unregistered?: string[];
  contacts?: SandboxContact[];
  groups?: SandboxGroup[];
  logoutReloadDelayMs?: number;
  storageKey?: string;
}

export interface SandboxContact {
  id: string;
  name?: string;
  pushname?: string;
  isBusiness?: boolean;
}

export interface SandboxGroup {
  id: string;
  subject?: string;
  /** Participant ids; the linked account is added unless `includeMe` is false. */
  participants?: string[];
  admins?: string[];
  owner?: string;
  desc?: string;
  announce?: boolean;
  includeMe?: boolean;
}

/** The Client options that point whatsapp-web.js at the sandbox page with this configuration. */
export function sandboxClientOptions(config: SandboxConfig = {}): {
  webVersion: string;
  webVersionCache: { type: 'local'; path: string; strict: true };
  evalOnNewDoc: () => void;
} {
  return {
    webVersion: SANDBOX_WEB_VERSION,
    webVersionCache: { type: 'local', path: sandboxWebCacheDir(), strict: true },
    // A Function built from JSON (puppeteer serialises it with toString()), so no closure is needed.
    evalOnNewDoc: new Function(`window.__SANDBOX_CONFIG__ = ${JSON.stringify(config)};`) as () => void,
  };
}

export interface SandboxMedia {
  mimetype: string;
  filename?: string;
  dataBase64: string;
}

/** A message "from the phone side" into the linked account. */
export interface SandboxInbound {
  /** Chat id: `<number>@c.us` for a person, `<id>@g.us` for a group. */
  from: string;
  /** Sender in a group (required there). */
  author?: string;
  body?: string;
  /** Overrides the inferred type (e.g. 'ptt', 'sticker'). */
  type?: string;
  media?: SandboxMedia;
  caption?: string;
  /** Serialized id (or bare stanza id) of the message being replied to. */
  quotedId?: string;
  quotedBody?: string;
  lat?: number;
  lng?: number;
  /** Location description, "name\naddress". */
  loc?: string;
  url?: string;
  /** One vCard (type vcard) or several (type multi_vcard). */
  vcard?: string | string[];
  isForwarded?: boolean;
  forwardingScore?: number;
  mentionedIds?: string[];
  notifyName?: string;
  /** Stanza id; random 32 hex digits by default. */
  id?: string;
  /** Unix seconds; now by default. */
  t?: number;
}

export type SandboxGroupSubtype = 'add' | 'remove' | 'leave' | 'invite' | 'promote' | 'demote' | string;

export interface SandboxGroupEvent {
  groupId: string;
  subtype: SandboxGroupSubtype;
  author?: string;
  recipients?: string[];
  body?: string;
}

/** States that make the library disconnect (TIMEOUT, OPENING, PAIRING, CONNECTED do not). */
export type SandboxDisconnectState =
  | 'UNPAIRED'
  | 'UNPAIRED_IDLE'
  | 'TOS_BLOCK'
  | 'SMB_TOS_BLOCK'
  | 'PROXYBLOCK'
  | 'DEPRECATED_VERSION';

interface OutboxBase {
  seq: number;
  /** Epoch ms when the page recorded it. */
  at: number;
  chatId: string;
}

/** A message the client sent (text, media, location, vCard, forward...). */
export interface SandboxOutboxMessage extends OutboxBase {
  kind: 'message';
  id: string;
  type: string;
  /** Group messages: own id as participant. */
  participant?: string;
  /** Text or vCard body; absent for media (see caption). */
  body?: string | null;
  caption?: string;
  mimetype?: string;
  filename?: string;
  media?: { directPath: string; size: number; sha256?: string; dataBase64?: string };
  isGif?: boolean;
  isViewOnce?: boolean;
  lat?: number;
  lng?: number;
  loc?: string;
  clientUrl?: string;
  vcards?: string[];
  vcardFormattedName?: string;
  /** Serialized id of the quoted message when it is in page memory. */
  quotedId?: string;
  quotedStanzaId?: string;
  isForwarded?: boolean;
  forwardingScore?: number;
  mentionedIds?: string[];
}

export interface SandboxOutboxReaction extends OutboxBase {
  kind: 'reaction';
  id: string;
  msgId: string;
  /** '' removes the reaction. */
  emoji: string;
}

export interface SandboxOutboxRevoke extends OutboxBase {
  kind: 'revoke' | 'delete_for_me';
  msgId: string;
  type: string;
}

export interface SandboxOutboxEdit extends OutboxBase {
  kind: 'edit';
  msgId: string;
  field: 'body' | 'caption';
  body: string;
}

export type SandboxOutboxEntry = SandboxOutboxMessage | SandboxOutboxReaction | SandboxOutboxRevoke | SandboxOutboxEdit;

export interface SandboxState {
  /** The page's Socket state: OPENING, UNPAIRED, CONNECTED, CONFLICT... */
  state: string;
  hasSynced: boolean;
  paired: boolean;
  me: string | null;
  pushname: string;
  qrRef: string;
  pairing: { phone: string; code: string } | null;
  pairingType: string;
  /** The library has finished injecting into the current document (safe to destroy the client). */
  libraryAttached: boolean;
  /** window.require names the library asked for that the page does not provide. */
  unsupported: string[];
}

export interface SandboxLinkOptions {
  me?: string;
  pushname?: string;
}

/** The browser going away is the expected outcome of conflict/disconnect: not an error for the caller. */
const GONE = /Target closed|Session closed|detached|Execution context was destroyed|Protocol error|Connection closed/i;

export class SandboxPageDriver {
  constructor(private readonly page: Page) {}

  /** Acts as the phone scanning the QR (or confirming the pairing code): authenticated, then ready. */
  link(options: SandboxLinkOptions = {}): Promise<{ me: string; alreadyLinked: boolean }> {
    return this.call('link', options);
  }

  /** Delivers a message from a contact or group; resolves to its serialized id. */
  inbound(message: SandboxInbound): Promise<string> {
    return this.call('inbound', message);
  }

  /** Sets a message's ack: 1 sent, 2 delivered, 3 read (4 played); fires `message_ack`. */
  async ack(messageId: string, ack: number): Promise<void> {
    await this.call('ack', messageId, ack);
  }

  /** The sender revokes a message for everyone; fires `message_revoke_everyone`. */
  async revoke(messageId: string): Promise<void> {
    await this.call('revoke', messageId);
  }

  /** A contact reacts ('' removes); `from` is required in groups. Resolves to the reaction's id. */
  react(messageId: string, emoji: string, from?: string): Promise<string> {
    return this.call('react', messageId, emoji, from ?? null);
  }

  /** The sender edits a message's text (or a media caption); fires `message_edit`. */
  async edit(messageId: string, newBody: string): Promise<void> {
    await this.call('edit', messageId, newBody);
  }

  /** A group notification (gp2): add/invite -> group_join, remove/leave -> group_leave, promote/demote -> group_admin_changed. */
  groupEvent(event: SandboxGroupEvent): Promise<string> {
    return this.call('groupEvent', event);
  }

  /** Declares (or replaces the membership of) a group the linked account is in. */
  async upsertGroup(group: SandboxGroup): Promise<void> {
    await this.call('upsertGroup', group);
  }

  async upsertContact(contact: SandboxContact): Promise<void> {
    await this.call('upsertContact', contact);
  }

  /** Another WhatsApp Web took the session: `disconnected('CONFLICT')`, and the library closes the browser. */
  async conflict(): Promise<void> {
    await this.callTolerant('conflict');
  }

  /**
   * Loses the session with a state the library does not tolerate (default UNPAIRED: the phone removed this
   * device, which also forgets the pairing): `disconnected(state)`, and the library closes the browser.
   */
  async disconnect(state: SandboxDisconnectState = 'UNPAIRED'): Promise<void> {
    await this.callTolerant('disconnect', state);
  }

  /** Any Socket state, e.g. TIMEOUT (tolerated by the library: only `change_state`). */
  async setState(state: string): Promise<void> {
    await this.callTolerant('setState', state);
  }

  /** The phone logs this device out: `disconnected('LOGOUT')`, then a new `qr` on the same browser. */
  async phoneLogout(): Promise<void> {
    await this.callTolerant('phoneLogout');
  }

  /** Everything the client sent, in order. `includeMedia` adds each media payload as base64. */
  outbox(options: { includeMedia?: boolean } = {}): Promise<SandboxOutboxEntry[]> {
    return this.call('outbox', options);
  }

  /**
   * Resolves once whatsapp-web.js has finished injecting into the current document. After phoneLogout() the
   * library re-injects on the reloaded page; destroying the client before that ends rejects a promise nobody
   * handles (whatsapp-web.js 1.34.7), so wait for this first.
   */
  async waitForLibraryAttached(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const attached = await this.call<boolean>('libraryAttached').catch(() => false);
      if (attached) break;
      if (Date.now() > deadline) throw new Error(`whatsapp-web.js did not attach to the sandbox page within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // inject() returns right after its last evaluate(); let that reply reach Node.
    await new Promise((r) => setTimeout(r, 100));
  }

  /** Empties the outbox; resolves to how many entries it held. */
  clearOutbox(): Promise<number> {
    return this.call('clearOutbox');
  }

  state(): Promise<SandboxState> {
    return this.call('state');
  }

  /** window.require names the library asked for that the page does not provide (should stay empty). */
  unsupported(): Promise<string[]> {
    return this.call('unsupported');
  }

  // Arguments travel as JSON inside a string expression: no function source crosses to the page, so code
  // coverage instrumentation of this file cannot leak into the browser.
  private async call<T>(method: string, ...args: unknown[]): Promise<T> {
    const argList = args.map((a) => JSON.stringify(a === undefined ? null : a)).join(',');
    return (await this.page.evaluate(`window.__sandbox[${JSON.stringify(method)}](${argList})`)) as T;
  }

  private async callTolerant(method: string, ...args: unknown[]): Promise<void> {
    try {
      await this.call(method, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !GONE.test(err.message)) throw err;
    }
  }
}
