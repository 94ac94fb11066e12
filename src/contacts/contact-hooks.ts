import { Injectable } from '@nestjs/common';
import { DeletionHooks } from '../common/lifecycle/deletion-hooks';
import type { ContactView } from './contact.types';

/**
 * Lets conversations and messages delete what belongs to a contact inside the contact's delete
 * call. Run before the contact document goes: a delete that fails half-way leaves the contact,
 * so the same DELETE can be sent again.
 */
@Injectable()
export class ContactHooks extends DeletionHooks<[clientIdentifier: string, contact: ContactView]> {
  contactDeleted(clientIdentifier: string, contact: ContactView): Promise<void> {
    return this.runDeleted(clientIdentifier, contact);
  }
}
