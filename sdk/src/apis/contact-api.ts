import { ApiBase } from '../core/api-base';
import { contactRoutes as r } from '../routes/contacts.routes';
import { messageRoutes } from '../routes/messages.routes';
import { assertShape, RouteInput, SameShape } from '../routes/route';
import type { Page } from '../types/common';
import type {
  AddContactTagDto,
  Contact,
  CreateContactDto,
  DeleteContactDto,
  DeleteContactPlatformDto,
  GetContactDto,
  GetContactsDto,
  GetTagsByContactIdDto,
  RemoveContactTagDto,
  UpdateContactDto,
} from '../types/contacts';
import type { Deleted } from '../types/channels';
import type { GetContactMessagesDto, Message } from '../types/messages';
import type { Tag } from '../types/tags';

/** Contacts (guide section 2). */
export class ContactApi extends ApiBase {
  create(payload: CreateContactDto): Promise<Contact> {
    return this.client.call(r.create, payload);
  }

  update(payload: UpdateContactDto): Promise<Contact> {
    return this.client.call(r.update, payload);
  }

  getById(payload: GetContactDto): Promise<Contact> {
    return this.client.call(r.get, payload);
  }

  /** A page of contacts: `{ data, page, limit, total, totalPages }`. */
  get(payload: GetContactsDto = {}): Promise<Page<Contact>> {
    return this.client.call(r.list, payload);
  }

  /**
   * Deletes the contact with its conversations and messages; its tags stay in the account. Webhook
   * events already recorded are still delivered. A second delete is 404 CONTACT_NOT_FOUND.
   */
  delete(payload: DeleteContactDto): Promise<Deleted> {
    return this.client.call(r.delete, payload);
  }

  /** Removes the contact's exclusive platform. */
  deletePlatform(payload: DeleteContactPlatformDto): Promise<Contact> {
    return this.client.call(r.deletePlatform, payload);
  }

  /** The contact's tags (spelled as in the guide; `getTagsByContactId` is the same). */
  getTagsByContacId(payload: GetTagsByContactIdDto): Promise<Tag[]> {
    return this.client.call(r.listTags, payload);
  }

  getTagsByContactId(payload: GetTagsByContactIdDto): Promise<Tag[]> {
    return this.getTagsByContacId(payload);
  }

  addTags(payload: AddContactTagDto): Promise<Contact> {
    return this.client.call(r.addTags, payload);
  }

  removeTags(payload: RemoveContactTagDto): Promise<Contact> {
    return this.client.call(r.removeTags, payload);
  }

  /** Every message with the contact (or group), across conversations, newest first by default. */
  getMessages(payload: GetContactMessagesDto): Promise<Page<Message>> {
    return this.client.call(messageRoutes.ofContact, payload);
  }
}

assertShape<SameShape<CreateContactDto, RouteInput<typeof r.create>>>();
assertShape<SameShape<UpdateContactDto, RouteInput<typeof r.update>>>();
assertShape<SameShape<GetContactDto, RouteInput<typeof r.get>>>();
assertShape<SameShape<GetContactsDto, RouteInput<typeof r.list>>>();
assertShape<SameShape<DeleteContactDto, RouteInput<typeof r.delete>>>();
assertShape<SameShape<DeleteContactPlatformDto, RouteInput<typeof r.deletePlatform>>>();
assertShape<SameShape<GetTagsByContactIdDto, RouteInput<typeof r.listTags>>>();
assertShape<SameShape<AddContactTagDto, RouteInput<typeof r.addTags>>>();
assertShape<SameShape<RemoveContactTagDto, RouteInput<typeof r.removeTags>>>();
