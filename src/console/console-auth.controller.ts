import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeysService } from '../accounts/api-keys.service';
import { Public } from '../common/auth/auth.decorators';
import { AppError, CommonErrorCode } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { ConsoleCookie } from './console-cookie';
import { ConsoleRequest, fingerprint, fromOwnOrigin } from './console-session.authenticator';
import { ConsoleSessionRecord, ConsoleSessionStore } from './console-session.store';
import { ConsoleErrorCode } from './console.errors';
import { ConsoleSessionResponse, SignInDto } from './dto/console.dto';
import { timingSafeEqual } from 'node:crypto';

function isAdminKey(key: string, admin: string): boolean {
  return timingSafeEqual(Buffer.from(fingerprint(key)), Buffer.from(fingerprint(admin)));
}

/** Sign-in (an API key exchanged for a session cookie), the current session, sign-out. */
@ApiExcludeController()
@Controller('console/api/session')
export class ConsoleAuthController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly store: ConsoleSessionStore,
    private readonly cookie: ConsoleCookie,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  async signIn(@Req() req: ConsoleRequest, @Res({ passthrough: true }) res: Response, @Body() dto: SignInDto): Promise<ConsoleSessionResponse> {
    // A login form posted from another site would sign the victim into the attacker's account.
    if (!fromOwnOrigin(req, this.config.http.publicBaseUrl))
      throw AppError.forbidden(ConsoleErrorCode.CONSOLE_CSRF_FAILED, 'Sign in from the console page itself');
    let fields: Omit<ConsoleSessionRecord, 'csrfToken' | 'createdAt'>;
    if (isAdminKey(dto.key, this.config.security.adminApiKey)) {
      fields = { kind: 'admin', adminFingerprint: fingerprint(this.config.security.adminApiKey) };
    } else {
      const principal = await this.keys.resolve(dto.key);
      if (principal?.kind !== 'account') throw AppError.unauthorized(CommonErrorCode.INVALID_API_KEY, 'The API key is not valid or was revoked');
      fields = { kind: 'account', clientIdentifier: principal.clientIdentifier, keyId: principal.keyId };
    }
    const previous = this.cookie.read(req);
    if (previous) await this.store.delete(previous);
    const { id, record } = await this.store.create(fields);
    this.cookie.write(req, res, id);
    return this.view(record);
  }

  @Get()
  current(@Req() req: ConsoleRequest): ConsoleSessionResponse {
    return this.view(this.session(req).record);
  }

  @Delete()
  @HttpCode(204)
  async signOut(@Req() req: ConsoleRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.store.delete(this.session(req).id);
    this.cookie.clear(req, res);
  }

  private session(req: ConsoleRequest) {
    if (!req.consoleSession) throw AppError.unauthorized(ConsoleErrorCode.CONSOLE_SESSION_REQUIRED, 'This route needs a console session (sign in at /console)');
    return req.consoleSession;
  }

  private view(record: ConsoleSessionRecord): ConsoleSessionResponse {
    return {
      kind: record.kind,
      ...(record.clientIdentifier ? { clientIdentifier: record.clientIdentifier } : {}),
      csrfToken: record.csrfToken,
      sandbox: this.config.whatsapp.engine === 'sandbox',
    };
  }
}
