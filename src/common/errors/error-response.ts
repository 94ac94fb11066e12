import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error response (documented once, referenced by every route). */
export class ErrorResponse {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'CONTACT_NOT_FOUND', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'Contact 68e54649a3744412be5cc107 not found' })
  message!: string;

  @ApiPropertyOptional({
    description: 'Extra structure, e.g. one entry per invalid field for VALIDATION_FAILED',
    example: [{ field: 'color', messages: ['color must be a hex colour like #ff0000 or #f00'] }],
  })
  details?: unknown;

  @ApiProperty({ example: '2b1f7c7e-5d0b-4c53-9d3a-0b3f1f6f9a11' })
  requestId!: string;
}
