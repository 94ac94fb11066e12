import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { TemplateContent } from '../../whatsapp/engine/messaging-engine.port';
import { ChannelProviders } from '../channel-providers';
import { ProviderErrorCode } from '../providers.errors';
import { CloudApiError, CloudTemplate } from './cloud-client';

export interface TemplateView {
  name: string;
  language: string;
  status: string;
  category?: string;
  components?: unknown[];
}

const CACHE_MS = 60_000;

/**
 * The account's templates, read from the provider. Sends check a template exists and is APPROVED
 * before it is queued (a short cache keeps a burst of template sends from listing them each time).
 */
@Injectable()
export class TemplatesService {
  private readonly cache = new Map<string, { at: number; templates: CloudTemplate[] }>();

  constructor(private readonly providers: ChannelProviders) {}

  async list(clientIdentifier: string, channelId: string, status = 'APPROVED'): Promise<TemplateView[]> {
    const templates = await this.fetch(clientIdentifier, channelId, true);
    const wanted = status.toUpperCase();
    return templates
      .filter((t) => wanted === 'ALL' || t.status === wanted)
      .map((t) => ({ name: t.name, language: t.language, status: t.status, ...(t.category ? { category: t.category } : {}), ...(t.components ? { components: t.components } : {}) }));
  }

  /** 422 TEMPLATE_NOT_FOUND unless the account has the template APPROVED in that language. */
  async assertApproved(clientIdentifier: string, channelId: string, template: TemplateContent): Promise<void> {
    const found = (await this.fetch(clientIdentifier, channelId, false)).find((t) => t.name === template.name && t.language === template.language);
    if (!found || found.status !== 'APPROVED')
      throw AppError.unprocessable(ProviderErrorCode.TEMPLATE_NOT_FOUND, `Template ${template.name} (${template.language}) is not an approved template of this account`, {
        name: template.name,
        language: template.language,
        ...(found ? { status: found.status } : {}),
      });
  }

  private async fetch(clientIdentifier: string, channelId: string, fresh: boolean): Promise<CloudTemplate[]> {
    const client = await this.providers.cloudClientFor(clientIdentifier, channelId, 'template');
    const cached = this.cache.get(channelId);
    if (!fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.templates;
    try {
      const templates = await client.templates();
      this.cache.set(channelId, { at: Date.now(), templates });
      return templates;
    } catch (err) {
      if (!(err instanceof CloudApiError)) throw err;
      throw new AppError(502, ProviderErrorCode.PROVIDER_REQUEST_FAILED, `The provider did not list the templates: ${err.failure.message}`, { reason: err.failure.reason });
    }
  }
}
