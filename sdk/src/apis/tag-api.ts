import { ApiBase } from '../core/api-base';
import { assertShape, RouteInput, SameShape } from '../routes/route';
import { contactRoutes } from '../routes/contacts.routes';
import { tagRoutes as r } from '../routes/tags.routes';
import type { Deleted } from '../types/channels';
import type { Page } from '../types/common';
import type { Contact } from '../types/contacts';
import type { CreateTagDto, DeleteTagDto, GetContactsByTagIdDto, GetTagByIdDto, GetTagsDto, Tag, UpdateTagDto } from '../types/tags';

/** Tags (guide section 3). */
export class TagApi extends ApiBase {
  create(payload: CreateTagDto): Promise<Tag> {
    return this.client.call(r.create, payload);
  }

  /** The account's tags, optionally those whose name contains `name` (any case). */
  get(payload: GetTagsDto = {}): Promise<Tag[]> {
    return this.client.call(r.list, payload);
  }

  getById(payload: GetTagByIdDto): Promise<Tag> {
    return this.client.call(r.get, payload);
  }

  update(payload: UpdateTagDto): Promise<Tag> {
    return this.client.call(r.update, payload);
  }

  /** Deletes the tag; it leaves every contact that had it. */
  delete(payload: DeleteTagDto): Promise<Deleted> {
    return this.client.call(r.delete, payload);
  }

  /** A page of the contacts carrying the tag. */
  getContactsByTagId(payload: GetContactsByTagIdDto): Promise<Page<Contact>> {
    return this.client.call(contactRoutes.listByTag, payload);
  }
}

assertShape<SameShape<CreateTagDto, RouteInput<typeof r.create>>>();
assertShape<SameShape<GetTagsDto, RouteInput<typeof r.list>>>();
assertShape<SameShape<GetTagByIdDto, RouteInput<typeof r.get>>>();
assertShape<SameShape<UpdateTagDto, RouteInput<typeof r.update>>>();
assertShape<SameShape<DeleteTagDto, RouteInput<typeof r.delete>>>();
assertShape<SameShape<GetContactsByTagIdDto, RouteInput<typeof contactRoutes.listByTag>>>();
