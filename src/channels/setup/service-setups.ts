import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AppError, CommonErrorCode } from '../../common/errors/app-error';
import { flattenValidationErrors } from '../../common/validation/validation.pipe';
import { normalizePhoneNumber } from '../../contacts/contact-identifier';
import type { MessageService } from '../channel.types';
import { ChannelErrorCode } from '../channels.errors';
import type { PlatformDto } from '../dto/platform.dto';
import { SetupWhatsappWebDto } from '../dto/setup-whatsapp-web.dto';

/** What every service's setup body comes down to. */
export interface ChannelSetupInput {
  provider: { clientNumber: string; companyId: string };
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

const SETUPS: Record<MessageService, ServiceSetup<any>> = { whatsappweb: whatsappWeb };

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
