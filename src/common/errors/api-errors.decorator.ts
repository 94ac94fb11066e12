import { applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ErrorCode, isErrorCode } from './error-catalogue';

/** Where ApiErrors leaves its codes for the OpenAPI document builder (removed from the published document). */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/**
 * Documents the error codes a route can answer, beyond the ones every route shares (auth, rate
 * limit, body parsing, 500: added centrally by src/openapi/error-responses.ts). Each code's status
 * and example come from the catalogue, so a route lists codes, never statuses:
 *
 *   @ApiErrors(CommonErrorCode.VALIDATION_FAILED, ChannelErrorCode.CHANNEL_NOT_FOUND)
 */
export function ApiErrors(...codes: ErrorCode[]) {
  for (const code of codes) if (!isErrorCode(code)) throw new Error(`ApiErrors: ${String(code)} is not in ERROR_CATALOGUE`);
  return applyDecorators(ApiExtension(ERROR_CODES_EXTENSION, [...new Set(codes)]));
}
