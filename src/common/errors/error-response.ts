import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The body of every error response (documented once, referenced by every route). Each route's
 * responses narrow `statusCode` and `code` and show one example per code (src/openapi/error-responses.ts).
 */
export class ErrorResponse {
  @ApiProperty({ description: 'The HTTP status, repeated in the body', type: 'integer' })
  statusCode!: number;

  @ApiProperty({ description: 'Stable machine-readable code: branch on this, never on `message`' })
  code!: string;

  @ApiProperty({ description: 'For humans; may change between versions' })
  message!: string;

  @ApiPropertyOptional({
    description: 'Extra structure for some codes, e.g. one `{ field, messages }` entry per invalid field for VALIDATION_FAILED',
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object', additionalProperties: true }],
  })
  details?: unknown;

  @ApiProperty({ description: 'The id of the request (also the X-Request-Id response header); quote it when reporting a problem' })
  requestId!: string;
}
