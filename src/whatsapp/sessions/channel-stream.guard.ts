import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { accountIdOf } from '../../common/auth/auth.decorators';
import type { AuthenticatedRequest } from '../../common/auth/principal';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe';
import { ChannelDirectory } from './channel-directory';

/**
 * Checks that the caller's account owns `:channelId` before an SSE handler runs. An event
 * stream commits its 200 and headers as soon as the handler is entered, so a check inside the
 * handler would answer another account's request with an open (empty) stream instead of the
 * 404 every other channel route gives. Guards run before that, and their errors go through the
 * usual exception filter as JSON.
 */
@Injectable()
export class ChannelStreamGuard implements CanActivate {
  private readonly ids = new ParseObjectIdPipe();

  constructor(private readonly directory: ChannelDirectory) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { params: Record<string, string> }>();
    const channelId = this.ids.transform(req.params.channelId, { type: 'param', data: 'channelId' });
    await this.directory.getById(accountIdOf(req), channelId);
    return true;
  }
}
