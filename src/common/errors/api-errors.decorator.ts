import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, INVALID_ID, OPERATOR_NOT_ALLOWED, ...)',
  401: 'Missing or invalid API key (UNAUTHENTICATED, INVALID_API_KEY)',
  403: 'Key not allowed here (ACCOUNT_MISMATCH, ADMIN_KEY_REQUIRED)',
  404: 'Not found in this account',
  409: 'Conflicts with existing data',
  413: 'Body or media too large',
  422: 'Understood but cannot be done (e.g. ENGINE_FEATURE_UNSUPPORTED, CHANNEL_NOT_READY)',
  503: 'A dependency is unavailable',
};

/** Documents the shared error body for the listed statuses (500 is always added). */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...[...statuses, 500].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Internal error (INTERNAL_ERROR, with requestId)', type: ErrorResponse }),
    ),
  );
}
