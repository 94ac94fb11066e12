import { Injectable } from '@nestjs/common';

export type TagDeletedHook = (clientIdentifier: string, tagId: string) => Promise<void>;

/**
 * Lets the contacts module take a deleted tag off every contact inside the delete call, without
 * the tags module depending on contacts. Awaited: the answer comes after the cleanup.
 */
@Injectable()
export class TagHooks {
  private readonly deleted: TagDeletedHook[] = [];

  onDeleted(hook: TagDeletedHook): void {
    this.deleted.push(hook);
  }

  async tagDeleted(clientIdentifier: string, tagId: string): Promise<void> {
    for (const hook of this.deleted) await hook(clientIdentifier, tagId);
  }
}
