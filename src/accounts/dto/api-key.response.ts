import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A stored key: never the key itself, only its first characters. */
export class ApiKeyResponse {
  @ApiProperty({ example: '6650b1f0c7a8e94d2b3c4d5e' })
  id!: string;

  @ApiProperty({ example: 'omk_3fA9', description: 'The first characters of the key, to tell keys apart' })
  prefix!: string;

  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  clientIdentifier!: string;

  @ApiPropertyOptional({ example: 'karoochat production' })
  name?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Set once revoked' })
  revokedAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  createdAt?: string;
}

/** The answer of POST /api-keys: the only time the key is shown (only its hash is stored). */
export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ example: 'omk_3fA9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8', description: 'The opaque key: store it now, it is never shown again' })
  key!: string;
}

/** The answer of GET /me. */
export class MeResponse {
  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'The account the key acts for (for the admin key: the one it named)' })
  clientIdentifier!: string;

  @ApiProperty({ description: 'Whether this is the admin key' })
  admin!: boolean;
}
