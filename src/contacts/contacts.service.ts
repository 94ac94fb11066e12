import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChannelHooks } from '../channels/channel-hooks';
import { ChannelsService } from '../channels/channels.service';
import { KeyedLock } from '../common/concurrency/keyed-lock';
import { isUniqueViolation } from '../common/database/unique-violation';
import { AppError } from '../common/errors/app-error';
import { Page, pageWindow, toPage } from '../common/pagination/pagination';
import { TagHooks } from '../tags/tag-hooks';
import { TagsService } from '../tags/tags.service';
import type { ContactFilter, ContactView } from './contact.types';
import { ContactType, normalizeContactIdentifier, normalizeIdentifierFilter } from './contact-identifier';
import { ContactChange, ContactsRepository } from './contacts.repository';
import { ContactErrorCode } from './contacts.errors';
import type { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import type { ListContactsQuery } from './dto/list-contacts.query';

/** Chats remembered per process (oldest forgotten first). */
const CONTACT_ID_CACHE_SIZE = 50_000;

export function contactNotFound(contactId: string): AppError {
  return AppError.notFound(ContactErrorCode.CONTACT_NOT_FOUND, `Contact ${contactId} not found`);
}

function identifierTaken(contactIdentifier: string, contactId?: string): AppError {
  return AppError.conflict(ContactErrorCode.CONTACT_IDENTIFIER_TAKEN, `The channel already has a contact ${contactIdentifier}`, {
    contactIdentifier,
    ...(contactId ? { contactId } : {}),
  });
}

export function assertSameId(bodyId: string | undefined, pathId: string, field: string): void {
  if (bodyId !== undefined && bodyId !== pathId)
    throw AppError.badRequest(ContactErrorCode.ID_MISMATCH, `${field} in the body differs from the path`, [{ field, messages: [`must equal the id in the path`] }]);
}

/** Contacts of an account (SDK guide 2.1 to 2.5) and what the inbound pipeline and conversations need. */
@Injectable()
export class ContactsService implements OnModuleInit {
  /** Per-contact write lock: FerretDB's updates are read-then-write without isolation. */
  readonly writes = new KeyedLock();

  /**
   * Identifier → contact id for inbound messages: an identifier lookup is not an _id lookup
   * (FerretDB scans for it); the id of a chat's contact never changes while the contact exists.
   */
  private readonly idByIdentifier = new Map<string, string>();

  constructor(
    private readonly repo: ContactsRepository,
    private readonly channels: ChannelsService,
    private readonly tags: TagsService,
    private readonly channelHooks: ChannelHooks,
    private readonly tagHooks: TagHooks,
  ) {}

  onModuleInit(): void {
    this.channelHooks.register({
      channelDeleted: async (clientIdentifier, channelId) => void (await this.repo.deleteByChannel(clientIdentifier, channelId)),
      platformRemoved: async (clientIdentifier, channelId, slug) => void (await this.repo.unsetPlatform(clientIdentifier, channelId, slug)),
    });
    this.tagHooks.onDeleted(async (clientIdentifier, tagId) => void (await this.repo.pullTagEverywhere(clientIdentifier, tagId)));
  }

  async create(clientIdentifier: string, dto: CreateContactDto): Promise<ContactView> {
    const contactIdentifier = normalizeContactIdentifier(dto.type, dto.contactIdentifier);
    await Promise.all([this.assertPlatform(clientIdentifier, dto.channelId, dto.platform), this.tags.requireAll(clientIdentifier, dto.tagIds ?? [])]);
    try {
      return await this.repo.insert(clientIdentifier, {
        channelId: dto.channelId,
        contactIdentifier,
        type: dto.type,
        channelType: dto.channelType,
        tagIds: dto.tagIds ?? [],
        isIgnored: dto.isIgnored ?? false,
        ...(dto.name !== undefined ? { name: dto.name } : {}),
        ...(dto.customName !== undefined ? { customName: dto.customName } : {}),
        ...(dto.photo !== undefined ? { photo: dto.photo } : {}),
        ...(dto.platform !== undefined ? { platform: dto.platform } : {}),
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const holder = await this.repo.findByIdentifier(clientIdentifier, dto.channelId, contactIdentifier);
      throw identifierTaken(contactIdentifier, holder?.id);
    }
  }

  async update(clientIdentifier: string, contactId: string, dto: UpdateContactDto): Promise<ContactView> {
    assertSameId(dto.contactId, contactId, 'contactId');
    return this.writes.run(contactId, async () => {
      const current = await this.getById(clientIdentifier, contactId);
      const set: ContactChange = {};
      if (dto.customName !== undefined) set.customName = dto.customName;
      if (dto.isIgnored !== undefined) set.isIgnored = dto.isIgnored;
      if (dto.tagIds !== undefined) set.tagIds = dto.tagIds;
      if (dto.platform !== undefined) set.platform = dto.platform;
      if (dto.contactIdentifier !== undefined) set.contactIdentifier = normalizeContactIdentifier(current.type, dto.contactIdentifier);
      await Promise.all([
        dto.platform !== undefined ? this.assertPlatform(clientIdentifier, current.channelId, dto.platform) : undefined,
        this.tags.requireAll(clientIdentifier, dto.tagIds ?? []),
        this.assertIdentifierFree(clientIdentifier, current, set.contactIdentifier),
      ]);
      if (Object.keys(set).length === 0) return current;
      try {
        const updated = await this.repo.update(clientIdentifier, contactId, set);
        if (!updated) throw contactNotFound(contactId);
        return updated;
      } catch (err) {
        // MongoDB reports a racing duplicate here; FerretDB as a generic UNIQUE error (both mapped).
        if (isUniqueViolation(err)) throw identifierTaken(set.contactIdentifier ?? current.contactIdentifier);
        throw err;
      }
    });
  }

  async getById(clientIdentifier: string, contactId: string): Promise<ContactView> {
    const contact = await this.repo.findById(clientIdentifier, contactId);
    if (!contact) throw contactNotFound(contactId);
    return contact;
  }

  async list(clientIdentifier: string, q: ListContactsQuery): Promise<Page<ContactView>> {
    const filter: ContactFilter = {
      channelId: q.channelId,
      type: q.type,
      channelType: q.channelType,
      name: q.name,
      contactIdentifier: q.contactIdentifier === undefined ? undefined : normalizeIdentifierFilter(q.contactIdentifier, q.type),
      tagIds: q.tagIds,
      tagMatch: q.tagMatch,
    };
    return this.page(clientIdentifier, filter, q);
  }

  /** The contacts carrying a tag (SDK 3.6); 404 TAG_NOT_FOUND for a tag outside the account. */
  async listByTag(clientIdentifier: string, tagId: string, q: { page?: number; limit?: number; order?: 'asc' | 'desc' }): Promise<Page<ContactView>> {
    await this.tags.getById(clientIdentifier, tagId);
    return this.page(clientIdentifier, { tagIds: [tagId] }, q);
  }

  /** SDK 2.5: the contact's events go back to the channel's starting platform. */
  removePlatform(clientIdentifier: string, contactId: string, bodyContactId?: string): Promise<ContactView> {
    assertSameId(bodyContactId, contactId, 'contactId');
    return this.writes.run(contactId, async () => {
      const updated = await this.repo.update(clientIdentifier, contactId, {}, ['platform']);
      if (!updated) throw contactNotFound(contactId);
      return updated;
    });
  }

  async findByIdentifier(clientIdentifier: string, channelId: string, contactIdentifier: string): Promise<ContactView | undefined> {
    return this.repo.findByIdentifier(clientIdentifier, channelId, normalizeIdentifierFilter(contactIdentifier));
  }

  /**
   * For the inbound pipeline and conversations (the caller has resolved the channel in this
   * account). Idempotent under concurrency: the unique index on channel and identifier decides
   * which insert wins, and the losers read the winner.
   */
  async findOrCreate(clientIdentifier: string, channelId: string, input: { contactIdentifier: string; type: ContactType; name?: string }): Promise<ContactView> {
    const contactIdentifier = normalizeContactIdentifier(input.type, input.contactIdentifier);
    const cacheKey = `${clientIdentifier}\u0000${channelId}\u0000${contactIdentifier}`;
    const known = this.idByIdentifier.get(cacheKey);
    if (known) {
      // Read by _id, so the contact is always current (ignored flag, platform); the id is
      // dropped when the contact was deleted or given another identifier.
      const contact = await this.repo.findById(clientIdentifier, known);
      if (contact && contact.channelId === channelId && contact.contactIdentifier === contactIdentifier) return contact;
      this.idByIdentifier.delete(cacheKey);
    }
    const existing = await this.repo.findByIdentifier(clientIdentifier, channelId, contactIdentifier);
    if (existing) return this.remember(cacheKey, existing);
    try {
      return this.remember(cacheKey, await this.repo.insert(clientIdentifier, {
        channelId,
        contactIdentifier,
        type: input.type,
        channelType: 'whatsapp',
        tagIds: [],
        isIgnored: false,
        ...(input.name ? { name: input.name } : {}),
      }));
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.repo.findByIdentifier(clientIdentifier, channelId, contactIdentifier);
      if (!winner) throw err;
      return this.remember(cacheKey, winner);
    }
  }

  private remember(cacheKey: string, contact: ContactView): ContactView {
    if (this.idByIdentifier.size >= CONTACT_ID_CACHE_SIZE) this.idByIdentifier.delete(this.idByIdentifier.keys().next().value!);
    this.idByIdentifier.set(cacheKey, contact.id);
    return contact;
  }

  private async page(clientIdentifier: string, filter: ContactFilter, q: { page?: number; limit?: number; order?: 'asc' | 'desc' }): Promise<Page<ContactView>> {
    const { page, limit, skip, order } = pageWindow(q);
    const { data, total } = await this.repo.list(clientIdentifier, filter, skip, limit, order);
    return toPage(data, total, page, limit);
  }

  /** `platform` must be a platform slug of the contact's channel (which must be in the account). */
  private async assertPlatform(clientIdentifier: string, channelId: string, platform: string | undefined): Promise<void> {
    const channel = await this.channels.getById(clientIdentifier, channelId);
    if (platform !== undefined && !channel.platforms.some((p) => p.slug === platform))
      throw AppError.badRequest(ContactErrorCode.UNKNOWN_PLATFORM, `Channel ${channelId} has no platform "${platform}"`, [
        { field: 'platform', messages: [`must be one of: ${channel.platforms.map((p) => p.slug).join(', ')}`] },
      ]);
  }

  /** Checked before an update: FerretDB does not report unique violations from updates as E11000. */
  private async assertIdentifierFree(clientIdentifier: string, current: ContactView, next: string | undefined): Promise<void> {
    if (next === undefined || next === current.contactIdentifier) return;
    const holder = await this.repo.findByIdentifier(clientIdentifier, current.channelId, next);
    if (holder && holder.id !== current.id) throw identifierTaken(next, holder.id);
  }
}
