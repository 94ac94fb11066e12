import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError, CommonErrorCode } from '../../common/errors/app-error';
import { flattenValidationErrors } from '../../common/validation/validation.pipe';
import { normalizePhoneNumber } from '../../contacts/contact-identifier';
import type { MessageService } from '../channel.types';
import { ChannelErrorCode } from '../channels.errors';
import type { PlatformDto } from '../dto/platform.dto';
import { SetupWhatsappWebDto } from '../dto/setup-whatsapp-web.dto';
import { SetupD360Dto, SetupWhatsappCloudDto } from '../dto/setup-cloud.dto';
import { randomBytes } from 'node:crypto';

/** What every service's setup body comes down to. */
export interface ChannelSetupInput {
  provider: { clientNumber: string; companyId: string; phoneNumberId?: string; wabaId?: string; apiVersion?: string };
  /** Provider secrets: encrypted before they are stored, never returned (previews only). */
  secrets?: Record<string, string>;
  startingPlatform: string;
  platforms: PlatformDto[];
  description?: string;
}

/** How one service's setup body is validated and read. A new service (e.g. the official API) adds an entry. */
interface ServiceSetup<D extends object> {
  dto: ClassConstructor<D>;
  toInput(dto: D): ChannelSetupInput;
}

const whatsappWeb: ServiceSetup<SetupWhatsappWebDto> = {
  dto: SetupWhatsappWebDto,
  toInput: (dto) => ({
    provider: { clientNumber: normalizePhoneNumber(dto.provider.clientNumber, 'provider.clientNumber'), companyId: dto.provider.companyId },
    startingPlatform: dto.startingPlatform,
    platforms: dto.platforms,
    description: dto.description,
  }),
};

const common = (dto: SetupWhatsappWebDto | SetupWhatsappCloudDto | SetupD360Dto) => ({
  startingPlatform: dto.startingPlatform,
  platforms: dto.platforms,
  description: dto.description,
});
const number = (value: string) => normalizePhoneNumber(value, 'provider.clientNumber');

const whatsappCloud: ServiceSetup<SetupWhatsappCloudDto> = {
  dto: SetupWhatsappCloudDto,
  toInput: ({ provider: p, ...dto }) => ({
    ...common({ provider: p, ...dto }),
    provider: { clientNumber: number(p.clientNumber), companyId: p.companyId, phoneNumberId: p.phoneNumberId, wabaId: p.wabaId, ...(p.apiVersion ? { apiVersion: p.apiVersion } : {}) },
    secrets: { accessToken: p.accessToken, appSecret: p.appSecret, webhookVerifyToken: p.webhookVerifyToken },
  }),
};

const d360: ServiceSetup<SetupD360Dto> = {
  dto: SetupD360Dto,
  toInput: ({ provider: p, ...dto }) => ({
    ...common({ provider: p, ...dto }),
    provider: { clientNumber: number(p.clientNumber), companyId: p.companyId },
    // 360dialog signs nothing: its deliveries carry this token (a header set through its webhook config API).
    secrets: { apiKey: p.apiKey, webhookToken: randomBytes(32).toString('base64url') },
  }),
};

const SETUPS: Record<MessageService, ServiceSetup<any>> = { whatsappweb: whatsappWeb, whatsappcloud: whatsappCloud, d360 };

/** Validates a setup body against the DTO of its service, with the same rules as the global pipe. */
export async function readSetupBody(service: string, body: unknown): Promise<{ service: MessageService; input: ChannelSetupInput }> {
  const setup = Object.prototype.hasOwnProperty.call(SETUPS, service) ? SETUPS[service as MessageService] : undefined;
  if (!setup)
    throw AppError.badRequest(ChannelErrorCode.UNSUPPORTED_SERVICE, `Unsupported service "${service}" (supported: ${Object.keys(SETUPS).join(', ')})`);
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw AppError.badRequest(CommonErrorCode.VALIDATION_FAILED, 'Validation failed: the body must be a JSON object', [
      { field: 'body', messages: ['the body must be a JSON object'] },
    ]);
  const dto = plainToInstance(setup.dto, body) as object;
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const details = flattenValidationErrors(errors);
    const summary = details.map((d) => d.messages[0]).slice(0, 3).join('; ');
    throw AppError.badRequest(CommonErrorCode.VALIDATION_FAILED, `Validation failed: ${summary}`, details);
  }
  return { service: service as MessageService, input: setup.toInput(dto) };
}
