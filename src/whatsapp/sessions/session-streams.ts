import { Injectable, MessageEvent } from '@nestjs/common';
import * as QRCode from 'qrcode';
import { defer, filter, from, interval, map, merge, Observable, takeUntil } from 'rxjs';
import { AppError } from '../../common/errors/app-error';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { SessionManager } from './session-manager';
import { SessionStatusBus } from './session-status-bus';
import { streamEvent } from './session-views';

const HEARTBEAT_MS = 15_000;

/** The live status stream (SSE) and the QR of a session, shared by the API and onboarding pages. */
@Injectable()
export class SessionStreams {
  constructor(
    private readonly manager: SessionManager,
    private readonly bus: SessionStatusBus,
  ) {}

  /**
   * `status` events: the current status first, then every change (state, each new QR, pairing
   * codes), from whichever process runs the session. A comment line every 15 s keeps proxies
   * from closing an idle stream. Ends when the server shuts down.
   */
  stream(clientIdentifier: string, channelId: string, withQrText: boolean): Observable<MessageEvent> {
    const current = defer(() => from(this.manager.status(clientIdentifier, channelId))).pipe(
      map((status): MessageEvent => ({ type: 'status', data: streamEvent(status, withQrText) })),
    );
    const changes = this.bus.changes().pipe(
      filter((n) => n.status.channelId === channelId && n.status.clientIdentifier === clientIdentifier),
      map((n): MessageEvent => ({ type: 'status', data: streamEvent(n.status, withQrText) })),
    );
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'ping' })));
    return merge(changes, current, heartbeat).pipe(takeUntil(this.bus.shutdown()));
  }

  /** The QR on screen: 404 QR_NOT_AVAILABLE unless the session waits for a scan. */
  async qr(clientIdentifier: string, channelId: string): Promise<{ qr: string; expiresAt?: Date }> {
    const status = await this.manager.status(clientIdentifier, channelId);
    if (status.state !== 'QR' || !status.qr)
      throw AppError.notFound(WhatsappErrorCode.QR_NOT_AVAILABLE, `No QR to show: the session is ${status.state}`, {
        state: status.state,
        reason: status.reason,
      });
    return { qr: status.qr, expiresAt: status.qrExpiresAt };
  }

  async qrPng(clientIdentifier: string, channelId: string): Promise<Buffer> {
    const { qr } = await this.qr(clientIdentifier, channelId);
    return QRCode.toBuffer(qr, { type: 'png', width: 320, margin: 2, errorCorrectionLevel: 'M' });
  }
}
