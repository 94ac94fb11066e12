import { Injectable } from '@nestjs/common';
import { DeletionHooks } from '../common/lifecycle/deletion-hooks';

/** Lets the contacts module take a deleted tag off every contact inside the delete call. */
@Injectable()
export class TagHooks extends DeletionHooks<[clientIdentifier: string, tagId: string]> {
  tagDeleted(clientIdentifier: string, tagId: string): Promise<void> {
    return this.runDeleted(clientIdentifier, tagId);
  }
}
