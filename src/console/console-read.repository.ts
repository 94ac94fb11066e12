import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

export interface RecentMessage {
  id: string;
  direction: string;
  chatId: string;
  kind: string;
  body?: string;
  caption?: string;
  status: string;
  statusReason?: string;
  senderName?: string;
  agentName?: string;
  timestamp?: Date;
  createdAt?: Date;
}

export interface ChannelActivity {
  lastInboundAt?: Date;
  lastOutboundAt?: Date;
  queued: number;
  sending: number;
  failed: number;
}

export interface AttemptRow {
  platform: string;
  channelId: string;
  at: Date;
  latencyMs: number;
  ok: boolean;
}

type Doc = Record<string, any>;

/**
 * What the console shows that no API lists yet, read straight from the collections the
 * messages and webhooks modules own (read-only; every query carries the account). A read model,
 * so those modules' repositories keep only what their own features need.
 */
@Injectable()
export class ConsoleReadRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async accounts(): Promise<string[]> {
    const [keys, channels] = await Promise.all([
      this.connection.collection('api_keys').distinct('clientIdentifier'),
      this.connection.collection('channels').distinct('clientIdentifier'),
    ]);
    return [...new Set([...keys, ...channels].map(String))].sort();
  }

  async recentMessages(clientIdentifier: string, channelId: string, limit: number): Promise<RecentMessage[]> {
    const docs = await this.connection
      .collection('messages')
      .find({ clientIdentifier, channelId })
      .sort({ createdAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map((d: Doc) => ({
      id: String(d._id),
      direction: d.direction,
      chatId: d.chatId,
      kind: d.kind,
      ...(d.body ? { body: String(d.body).slice(0, 500) } : {}),
      ...(d.caption ? { caption: String(d.caption).slice(0, 500) } : {}),
      status: d.status,
      ...(d.statusReason ? { statusReason: d.statusReason } : {}),
      ...(d.senderName ? { senderName: d.senderName } : {}),
      ...(d.agentName ? { agentName: d.agentName } : {}),
      timestamp: d.timestamp,
      createdAt: d.createdAt,
    }));
  }

  /** Last message each way and the outbound queue of one channel. */
  async activity(clientIdentifier: string, channelId: string): Promise<ChannelActivity> {
    const messages = this.connection.collection('messages');
    const last = (direction: string) =>
      messages.find({ clientIdentifier, channelId, direction }).sort({ createdAt: -1 }).limit(1).project({ createdAt: 1 }).toArray();
    const [inbound, outbound, queued, sending, failed] = await Promise.all([
      last('inbound'),
      last('outbound'),
      messages.countDocuments({ clientIdentifier, channelId, direction: 'outbound', status: 'queued' }),
      messages.countDocuments({ clientIdentifier, channelId, direction: 'outbound', status: 'sending' }),
      messages.countDocuments({ clientIdentifier, channelId, direction: 'outbound', status: 'failed' }),
    ]);
    return { lastInboundAt: inbound[0]?.createdAt, lastOutboundAt: outbound[0]?.createdAt, queued, sending, failed };
  }

  async failedSends(clientIdentifier: string, limit: number): Promise<RecentMessage[]> {
    const docs = await this.connection
      .collection('messages')
      .find({ clientIdentifier, direction: 'outbound', status: 'failed' })
      .sort({ createdAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map((d: Doc) => ({
      id: String(d._id),
      direction: d.direction,
      chatId: d.chatId,
      kind: d.kind,
      ...(d.body ? { body: String(d.body).slice(0, 200) } : {}),
      status: d.status,
      ...(d.statusReason ? { statusReason: d.statusReason } : {}),
      channelId: d.channelId,
      createdAt: d.createdAt,
    }));
  }

  /** Messages created since a time, for per-minute counts. */
  async messageTimes(clientIdentifier: string, since: Date): Promise<{ direction: string; createdAt: Date }[]> {
    const docs = await this.connection
      .collection('messages')
      .find({ clientIdentifier, createdAt: { $gte: since } })
      .project({ direction: 1, createdAt: 1, fromMe: 1 })
      .toArray();
    return docs.map((d: Doc) => ({ direction: d.direction, createdAt: d.createdAt }));
  }

  /** Every webhook delivery attempt of the account since a time (open and finished events: one collection). */
  async attempts(clientIdentifier: string, since: Date, channelId?: string): Promise<AttemptRow[]> {
    const filter: Doc = { clientIdentifier, updatedAt: { $gte: since }, ...(channelId ? { channelId } : {}) };
    const project = { platform: 1, channelId: 1, attempts: 1 };
    const events = await this.connection.collection('webhook_events').find(filter).project(project).toArray();
    const rows: AttemptRow[] = [];
    for (const e of events as Doc[])
      for (const a of (e.attempts ?? []) as Doc[])
        if (a.at >= since)
          rows.push({ platform: e.platform, channelId: e.channelId, at: new Date(a.at), latencyMs: a.latencyMs ?? 0, ok: a.outcome === 'delivered' });
    return rows;
  }
}
