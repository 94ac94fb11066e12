import { Injectable } from '@nestjs/common';
import type { ContactView } from './contact.types';

export type ContactDeletedHook = (clientIdentifier: string, contact: ContactView) => Promise<void>;

/**
 * Lets conversations and messages delete what belongs to a contact inside the contact's delete
 * call, without the contacts module depending on them. Run before the contact document goes and
 * awaited: a delete that fails half-way leaves the contact, so the same DELETE can be sent again.
 */
@Injectable()
export class ContactHooks {
  private readonly deleted: ContactDeletedHook[] = [];

  onDeleted(hook: ContactDeletedHook): void {
    this.deleted.push(hook);
  }

  async contactDeleted(clientIdentifier: string, contact: ContactView): Promise<void> {
    for (const hook of this.deleted) await hook(clientIdentifier, contact);
  }
}
