import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { StoreAdapter } from '../store/store-adapter';
import type { CreateTagDto, UpdateTagDto } from './dto/tag.dto';
import { cleanTagName, tagNameKey } from './tag-name';
import { TagHooks } from './tag-hooks';
import { TagsRepository, TagView } from './tags.repository';
import { TagErrorCode } from './tags.errors';

function nameTaken(name: string): AppError {
  return AppError.conflict(TagErrorCode.TAG_NAME_TAKEN, `A tag named "${name}" already exists in this account`, { name });
}

function tagNotFound(tagId: string): AppError {
  return AppError.notFound(TagErrorCode.TAG_NOT_FOUND, `Tag ${tagId} not found`);
}

/** Tags of an account (SDK guide 3.1 to 3.5). */
@Injectable()
export class TagsService {
  constructor(
    private readonly repo: TagsRepository,
    private readonly hooks: TagHooks,
    private readonly store: StoreAdapter,
  ) {}

  create(clientIdentifier: string, dto: CreateTagDto): Promise<TagView> {
    const name = cleanTagName(dto.name);
    return this.store.uniqueInsert(
      () => this.repo.insert(clientIdentifier, { name, nameKey: tagNameKey(name), color: dto.color.toLowerCase() }),
      () => nameTaken(name),
    );
  }

  list(clientIdentifier: string, nameContains?: string): Promise<TagView[]> {
    return this.repo.list(clientIdentifier, nameContains);
  }

  async getById(clientIdentifier: string, tagId: string): Promise<TagView> {
    const tag = await this.repo.findById(clientIdentifier, tagId);
    if (!tag) throw tagNotFound(tagId);
    return tag;
  }

  async update(clientIdentifier: string, tagId: string, dto: UpdateTagDto): Promise<TagView> {
    if (dto.tagId !== undefined && dto.tagId !== tagId)
      throw AppError.badRequest(TagErrorCode.ID_MISMATCH, 'tagId in the body differs from the path', [{ field: 'tagId', messages: ['must equal the tag id in the path'] }]);
    const set: { name?: string; nameKey?: string; color?: string } = {};
    if (dto.color !== undefined) set.color = dto.color.toLowerCase();
    if (dto.name !== undefined) {
      set.name = cleanTagName(dto.name);
      set.nameKey = tagNameKey(set.name);
    }
    if (Object.keys(set).length === 0) return this.getById(clientIdentifier, tagId);
    const { nameKey } = set;
    const write = () => this.repo.update(clientIdentifier, tagId, set);
    let tag: TagView | undefined;
    try {
      // The unique index on (account, nameKey) decides a rename; the adapter makes every store report it.
      tag =
        nameKey === undefined
          ? await this.store.retryTransient(write)
          : await this.store.uniqueUpdate({
              key: `tags:${clientIdentifier}:${nameKey}`,
              taken: async () => ((await this.repo.findIdByNameKey(clientIdentifier, nameKey)) ?? tagId) !== tagId,
              write,
            });
    } catch (err) {
      if (this.store.isUniqueViolation(err)) throw nameTaken(set.name ?? '');
      throw err;
    }
    if (!tag) throw tagNotFound(tagId);
    return tag;
  }

  /** Deletes the tag, then takes it off every contact of the account (no dangling ids). */
  async delete(clientIdentifier: string, tagId: string): Promise<{ id: string; deleted: true }> {
    if (!(await this.repo.delete(clientIdentifier, tagId))) throw tagNotFound(tagId);
    await this.hooks.tagDeleted(clientIdentifier, tagId);
    return { id: tagId, deleted: true };
  }

  /** The account's tags among `tagIds` (name order); unknown ids are skipped. */
  findByIds(clientIdentifier: string, tagIds: readonly string[]): Promise<TagView[]> {
    return this.repo.findByIds(clientIdentifier, tagIds);
  }

  /** 404 TAG_NOT_FOUND listing the ids that are not tags of this account (another account's tag counts as unknown). */
  async requireAll(clientIdentifier: string, tagIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(tagIds)];
    if (wanted.length === 0) return;
    const found = await this.repo.existingIds(clientIdentifier, wanted);
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) throw AppError.notFound(TagErrorCode.TAG_NOT_FOUND, `Tag(s) not found: ${missing.join(', ')}`, { tagIds: missing });
  }
}
