import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { SessionRouter } from '../cluster/session-router';
import { ChannelDirectory } from '../sessions/channel-directory';
import { ChannelSession, SessionStatus } from '../sessions/channel-session';
import { SessionManager, SessionNotLocalError, SessionStatusView } from '../sessions/session-manager';
import { isActive, SessionReason } from '../sessions/session-state';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { SandboxGroupEventDto, SandboxGroupDto, SandboxInboundDto, SandboxLinkDto, SandboxReactDto } from './dto/sandbox.dto';
import { SandboxInbound, SandboxOutboxEntry, SandboxPageDriver, SandboxState } from './sandbox-page-driver';

const ACKS = { sent: 1, delivered: 2, read: 3, played: 4 } as const;

/** `5521…` → `5521…@c.us`; ids pass through. */
export function toChatId(value: string): string {
  return value.includes('@') ? value : `${value.replace(/^\+/, '')}@c.us`;
}

/**
 * The sandbox control API acting as the phone and its contacts, on the sandbox page of a
 * channel's running session (this process must own it). Registered only in sandbox mode.
 */
@Injectable()
export class SandboxControlService {
  /** The control API as callers use it: each action runs in the process that runs the channel's browser. */
  readonly routed;

  constructor(
    private readonly manager: SessionManager,
    private readonly directory: ChannelDirectory,
    router: SessionRouter,
  ) {
    this.routed = router.expose('sandbox', this as SandboxControlService, {
      link: 'start',
      inbound: 'owner',
      outbox: 'owner',
      clearOutbox: 'owner',
      ack: 'owner',
      revoke: 'owner',
      react: 'owner',
      edit: 'owner',
      upsertGroup: 'owner',
      groupEvent: 'owner',
      conflict: 'owner',
      disconnect: 'owner',
      phoneLogout: 'owner',
      pageState: 'owner',
    });
  }

  /** Links the channel as if its QR were scanned (starting the session first if needed); waits for READY. */
  async link(clientIdentifier: string, channelId: string, dto: SandboxLinkDto): Promise<SessionStatusView & { alreadyLinked: boolean }> {
    const channel = await this.directory.getById(clientIdentifier, channelId);
    let status = await this.manager.status(clientIdentifier, channelId);
    if (status.owner === 'remote') throw new SessionNotLocalError(channelId, 'remote');
    if (!isActive(status.state)) await this.manager.start(clientIdentifier, channelId, SessionReason.REQUESTED);
    const session = this.manager.local(channelId)!;
    status = { ...(await this.waitUntil(session, (s) => s.state === 'QR' || s.state === 'READY', 'a QR to scan')), owner: 'local' };
    if (status.state === 'READY') return { ...status, alreadyLinked: true };
    const driver = this.driver(channelId);
    const page = await this.act(() => driver.state());
    const me = dto.me?.replace(/^\+/, '') ?? (page.pairing ? undefined : channel.provider.clientNumber);
    await this.act(() => driver.link({ me, pushname: dto.pushname }));
    const ready = await this.waitUntil(session, (s) => s.state === 'READY', 'READY after linking');
    return { ...ready, owner: 'local', alreadyLinked: false };
  }

  async inbound(clientIdentifier: string, channelId: string, dto: SandboxInboundDto): Promise<{ messageId: string }> {
    const driver = await this.ready(clientIdentifier, channelId);
    const message: SandboxInbound = {
      from: toChatId(dto.from),
      ...(dto.author ? { author: toChatId(dto.author) } : {}),
      ...(dto.text !== undefined ? { body: dto.text } : {}),
      ...(dto.media ? { media: { ...dto.media } } : {}),
      ...(dto.caption !== undefined ? { caption: dto.caption } : {}),
      ...(dto.quotedMessageId ? { quotedId: dto.quotedMessageId } : {}),
      ...(dto.location
        ? {
            lat: dto.location.latitude,
            lng: dto.location.longitude,
            ...(dto.location.name || dto.location.address ? { loc: `${dto.location.name ?? ''}\n${dto.location.address ?? ''}` } : {}),
            ...(dto.location.url ? { url: dto.location.url } : {}),
          }
        : {}),
      ...(dto.vcards?.length ? { vcard: dto.vcards.length === 1 ? dto.vcards[0] : dto.vcards } : {}),
      ...(dto.senderName ? { notifyName: dto.senderName } : {}),
      ...(dto.mentions?.length ? { mentionedIds: dto.mentions.map(toChatId) } : {}),
      ...(dto.isForwarded ? { isForwarded: true } : {}),
      ...(dto.type ? { type: dto.type } : {}),
    };
    const messageId = await this.act(() => driver.inbound(message));
    return { messageId };
  }

  async outbox(clientIdentifier: string, channelId: string, includeMedia: boolean): Promise<SandboxOutboxEntry[]> {
    const driver = await this.running(clientIdentifier, channelId);
    return this.act(() => driver.outbox({ includeMedia }));
  }

  async clearOutbox(clientIdentifier: string, channelId: string): Promise<{ cleared: number }> {
    const driver = await this.running(clientIdentifier, channelId);
    return { cleared: await this.act(() => driver.clearOutbox()) };
  }

  async ack(clientIdentifier: string, channelId: string, messageId: string, ack: keyof typeof ACKS): Promise<void> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() => driver.ack(messageId, ACKS[ack]));
  }

  async revoke(clientIdentifier: string, channelId: string, messageId: string): Promise<void> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() => driver.revoke(messageId));
  }

  async react(clientIdentifier: string, channelId: string, messageId: string, dto: SandboxReactDto): Promise<{ reactionId: string }> {
    const driver = await this.ready(clientIdentifier, channelId);
    return { reactionId: await this.act(() => driver.react(messageId, dto.emoji, dto.from ? toChatId(dto.from) : undefined)) };
  }

  async edit(clientIdentifier: string, channelId: string, messageId: string, body: string): Promise<void> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() => driver.edit(messageId, body));
  }

  async upsertGroup(clientIdentifier: string, channelId: string, dto: SandboxGroupDto): Promise<void> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() =>
      driver.upsertGroup({
        id: dto.id,
        subject: dto.subject,
        participants: dto.participants?.map(toChatId),
        admins: dto.admins?.map(toChatId),
      }),
    );
  }

  async groupEvent(clientIdentifier: string, channelId: string, groupId: string, dto: SandboxGroupEventDto): Promise<{ notificationId: string }> {
    const driver = await this.ready(clientIdentifier, channelId);
    const id = await this.act(() =>
      driver.groupEvent({
        groupId,
        subtype: dto.subtype,
        recipients: dto.participants.map(toChatId),
        ...(dto.author ? { author: toChatId(dto.author) } : {}),
      }),
    );
    return { notificationId: id };
  }

  /** Another WhatsApp Web took over the session: CONFLICT (the server restarts it). */
  async conflict(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() => driver.conflict());
    return this.settled(clientIdentifier, channelId);
  }

  /** The connection is lost with a state the library does not tolerate (UNPAIRED unlinks the device). */
  async disconnect(clientIdentifier: string, channelId: string, state: Parameters<SandboxPageDriver['disconnect']>[0]): Promise<SessionStatusView> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() => driver.disconnect(state));
    return this.settled(clientIdentifier, channelId);
  }

  /** The phone logs this device out (Linked devices › Log out). */
  async phoneLogout(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const driver = await this.ready(clientIdentifier, channelId);
    await this.act(() => driver.phoneLogout());
    return this.settled(clientIdentifier, channelId);
  }

  async pageState(clientIdentifier: string, channelId: string): Promise<SandboxState> {
    const driver = await this.running(clientIdentifier, channelId);
    return this.act(() => driver.state());
  }

  // ------------------------------------------------------------------------------ helpers

  private async running(clientIdentifier: string, channelId: string): Promise<SandboxPageDriver> {
    await this.directory.getById(clientIdentifier, channelId);
    const status = await this.manager.status(clientIdentifier, channelId);
    if (status.owner === 'remote') throw new SessionNotLocalError(channelId, 'remote');
    return this.driver(channelId, status);
  }

  private async ready(clientIdentifier: string, channelId: string): Promise<SandboxPageDriver> {
    await this.directory.getById(clientIdentifier, channelId);
    const status = await this.manager.status(clientIdentifier, channelId);
    if (status.owner === 'remote') throw new SessionNotLocalError(channelId, 'remote');
    if (status.state !== 'READY')
      throw AppError.unprocessable(WhatsappErrorCode.CHANNEL_NOT_READY, `The session is ${status.state}: link it first (POST …/link)`, {
        state: status.state,
        reason: status.reason,
      });
    return this.driver(channelId, status);
  }

  private driver(channelId: string, status?: Pick<SessionStatus, 'state'>): SandboxPageDriver {
    const driver = this.manager.local(channelId)?.currentSession()?.sandbox?.();
    if (!(driver instanceof SandboxPageDriver))
      throw AppError.unprocessable(
        WhatsappErrorCode.SANDBOX_SESSION_NOT_RUNNING,
        `No sandbox browser runs for this channel (state ${status?.state ?? 'unknown'}): start it or link it first`,
        { state: status?.state },
      );
    return driver;
  }

  /** Runs a page action; the page's own refusals become 422 SANDBOX_ACTION_FAILED with its message. */
  private async act<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/^(Error|Evaluation failed):\s*/g, '').replace(/^Error:\s*/, '');
      throw AppError.unprocessable(WhatsappErrorCode.SANDBOX_ACTION_FAILED, `The sandbox refused: ${message}`);
    }
  }

  private async waitUntil(session: ChannelSession, predicate: (s: SessionStatus) => boolean, what: string): Promise<SessionStatus> {
    try {
      return await session.waitFor(predicate, 30_000);
    } catch (err) {
      throw AppError.unprocessable(WhatsappErrorCode.SANDBOX_ACTION_FAILED, `Timed out waiting for ${what}: ${(err as Error).message}`);
    }
  }

  /** The status once the session reacted to a phone-side action (it leaves READY). */
  private async settled(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const session = this.manager.local(channelId);
    await session?.waitFor((s) => s.state !== 'READY', 10_000).catch(() => undefined);
    return this.manager.status(clientIdentifier, channelId);
  }
}
