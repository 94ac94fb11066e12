import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChannelHooks } from '../channels/channel-hooks';
import { ChannelsService } from '../channels/channels.service';
import { AppError } from '../common/errors/app-error';
import { Page, pageWindow, toPage } from '../common/pagination/pagination';
import { StoreAdapter } from '../store/store-adapter';
import { TagHooks } from '../tags/tag-hooks';
import { TagsService } from '../tags/tags.service';
import type { ContactFilter, ContactView } from './contact.types';
import { ContactHooks } from './contact-hooks';
import { ContactType, normalizeContactIdentifier, normalizeIdentifierFilter } from './contact-identifier';
import { nameTokens } from './contact-name-tokens';
import { ContactChange, ContactsRepository } from './contacts.repository';
import { ContactErrorCode } from './contacts.errors';
import type { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import type { ListContactsQuery } from './dto/list-contacts.query';

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
  constructor(
    private readonly repo: ContactsRepository,
    private readonly channels: ChannelsService,
    private readonly tags: TagsService,
    private readonly channelHooks: ChannelHooks,
    private readonly tagHooks: TagHooks,
    private readonly store: StoreAdapter,
    private readonly contactHooks: ContactHooks,
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
    return this.store.uniqueInsert(
      () =>
        this.repo.insert(clientIdentifier, {
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
      }),
      () => this.identifierTaken(clientIdentifier, dto.channelId, contactIdentifier),
    );
  }

  async update(clientIdentifier: string, contactId: string, dto: UpdateContactDto): Promise<ContactView> {
    assertSameId(dto.contactId, contactId, 'contactId');
    const current = await this.getById(clientIdentifier, contactId);
    const set: ContactChange = {};
    if (dto.customName !== undefined) {
      set.customName = dto.customName;
      set.nameTokens = nameTokens(current.name, dto.customName);
    }
    if (dto.isIgnored !== undefined) set.isIgnored = dto.isIgnored;
    if (dto.tagIds !== undefined) set.tagIds = dto.tagIds;
    if (dto.platform !== undefined) set.platform = dto.platform;
    const nextIdentifier = dto.contactIdentifier === undefined ? undefined : normalizeContactIdentifier(current.type, dto.contactIdentifier);
    if (nextIdentifier !== undefined && nextIdentifier !== current.contactIdentifier) set.contactIdentifier = nextIdentifier;
    await Promise.all([
      dto.platform !== undefined ? this.assertPlatform(clientIdentifier, current.channelId, dto.platform) : undefined,
      this.tags.requireAll(clientIdentifier, dto.tagIds ?? []),
    ]);
    if (Object.keys(set).length === 0) return current;
    const write = () => this.repo.update(clientIdentifier, contactId, set);
    let updated: ContactView | undefined;
    try {
      // The unique index on (account, channel, identifier) decides; the adapter makes every store report it.
      updated =
        nextIdentifier === undefined || set.contactIdentifier === undefined
          ? await write()
          : await this.store.uniqueUpdate({
              key: `contacts:${clientIdentifier}:${current.channelId}:${nextIdentifier}`,
              taken: async () => ((await this.repo.findByIdentifier(clientIdentifier, current.channelId, nextIdentifier))?.id ?? contactId) !== contactId,
              write,
            });
    } catch (err) {
      if (this.store.isUniqueViolation(err) && nextIdentifier !== undefined) throw await this.identifierTaken(clientIdentifier, current.channelId, nextIdentifier);
      throw err;
    }
    if (!updated) throw contactNotFound(contactId);
    return updated;
  }

  /**
   * Deletes the contact with its tag links (they live on it), its conversations and its messages
   * (the modules registered on ContactHooks), dependents first: a delete that fails half-way leaves
   * the contact in place and can be sent again. A second delete is 404 CONTACT_NOT_FOUND.
   */
  async delete(clientIdentifier: string, contactId: string): Promise<{ id: string; deleted: true }> {
    const contact = await this.getById(clientIdentifier, contactId);
    await this.contactHooks.contactDeleted(clientIdentifier, contact);
    if (!(await this.repo.delete(clientIdentifier, contactId))) throw contactNotFound(contactId);
    return { id: contactId, deleted: true };
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
    return this.repo.update(clientIdentifier, contactId, {}, ['platform']).then((updated) => {
      if (!updated) throw contactNotFound(contactId);
      return updated;
    });
  }

  async findByIdentifier(clientIdentifier: string, channelId: string, contactIdentifier: string): Promise<ContactView | undefined> {
    return this.repo.findByIdentifier(clientIdentifier, channelId, normalizeIdentifierFilter(contactIdentifier));
  }

  /**
   * For the inbound pipeline and conversations (the caller has resolved the channel in this
   * account). Idempotent under concurrency, across processes too: the unique index on channel and
   * identifier decides which insert wins, and the losers read the winner. The lookup is by
   * equality on indexed fields, on both stores.
   */
  async findOrCreate(clientIdentifier: string, channelId: string, input: { contactIdentifier: string; type: ContactType; name?: string }): Promise<ContactView> {
    const contactIdentifier = normalizeContactIdentifier(input.type, input.contactIdentifier);
    const existing = await this.repo.findByIdentifier(clientIdentifier, channelId, contactIdentifier);
    if (existing) return existing;
    try {
      return await this.repo.insert(clientIdentifier, {
        channelId,
        contactIdentifier,
        type: input.type,
        channelType: 'whatsapp',
        tagIds: [],
        isIgnored: false,
        ...(input.name ? { name: input.name } : {}),
      });
    } catch (err) {
      if (!this.store.isUniqueViolation(err)) throw err;
      const winner = await this.repo.findByIdentifier(clientIdentifier, channelId, contactIdentifier);
      if (!winner) throw err;
      return winner;
    }
  }

  private async page(clientIdentifier: string, filter: ContactFilter, q: { page?: number; limit?: number; order?: 'asc' | 'desc' }): Promise<Page<ContactView>> {
    const { page, limit, skip, order } = pageWindow(q);
    const { data, total } = await this.repo.list(clientIdentifier, filter, { skip, limit, order });
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

  /** 409 CONTACT_IDENTIFIER_TAKEN naming the contact that holds the identifier. */
  private async identifierTaken(clientIdentifier: string, channelId: string, contactIdentifier: string): Promise<AppError> {
    const holder = await this.repo.findByIdentifier(clientIdentifier, channelId, contactIdentifier);
    return identifierTaken(contactIdentifier, holder?.id);
  }
}
