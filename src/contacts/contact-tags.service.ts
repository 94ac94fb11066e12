import { Injectable } from '@nestjs/common';
import { TagView } from '../tags/tags.repository';
import { TagsService } from '../tags/tags.service';
import type { ContactView } from './contact.types';
import { ContactsRepository } from './contacts.repository';
import { assertSameId, contactNotFound, ContactsService } from './contacts.service';

/** The tags on a contact (SDK guide 2.6 to 2.8). */
@Injectable()
export class ContactTagsService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly repo: ContactsRepository,
    private readonly tags: TagsService,
  ) {}

  /** The contact's tags as tag objects, in name order. */
  async list(clientIdentifier: string, contactId: string): Promise<TagView[]> {
    const contact = await this.contacts.getById(clientIdentifier, contactId);
    return this.tags.findByIds(clientIdentifier, contact.tagIds);
  }

  /** Adds tags of the account (404 TAG_NOT_FOUND otherwise); tags already on the contact stay once. */
  async add(clientIdentifier: string, contactId: string, tagIds: string[], bodyContactId?: string): Promise<ContactView> {
    assertSameId(bodyContactId, contactId, 'contactId');
    await this.tags.requireAll(clientIdentifier, tagIds);
    const updated = await this.repo.addTags(clientIdentifier, contactId, [...new Set(tagIds)]);
    if (!updated) throw contactNotFound(contactId);
    return updated;
  }

  /** Removes tags; a tag of the account that is not on the contact is simply not there afterwards. */
  async remove(clientIdentifier: string, contactId: string, tagIds: string[], bodyContactId?: string): Promise<ContactView> {
    assertSameId(bodyContactId, contactId, 'contactId');
    await this.tags.requireAll(clientIdentifier, tagIds);
    const updated = await this.repo.removeTags(clientIdentifier, contactId, [...new Set(tagIds)]);
    if (!updated) throw contactNotFound(contactId);
    return updated;
  }
}
