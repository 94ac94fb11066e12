import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { SESSION_STATES, SessionState } from '../session-state';

export class PairingCodeDto {
  @ApiProperty({
    example: '5521999999999',
    description: 'The WhatsApp number to link, with country code; digits only (spaces, +, - and parentheses are ignored)',
  })
  @IsString()
  @Matches(/^\+?[\d\s().-]{8,24}$/, { message: 'phoneNumber must be a phone number with country code (8 to 15 digits)' })
  phoneNumber!: string;

  @ApiPropertyOptional({ description: 'Ignored: the API key decides the account' })
  @IsOptional()
  @IsString()
  clientIdentifier?: string;
}

export class PairingCodeResponse {
  @ApiProperty({ example: 'K7QMZ2PA', description: '8 characters; the phone asks for it under Linked devices › Link with phone number' })
  code!: string;

  @ApiProperty({ example: 'K7QM-Z2PA', description: 'The same code as WhatsApp shows it' })
  formatted!: string;
}

export class SessionStatusResponse {
  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  channelId!: string;

  @ApiProperty({ enum: SESSION_STATES, example: 'READY' })
  state!: SessionState;

  @ApiPropertyOptional({ example: 'CONNECTED', description: 'Why the state last changed (UPPER_SNAKE word, sometimes with detail)' })
  reason?: string;

  @ApiPropertyOptional({ example: '5521999999999@c.us', description: 'The linked WhatsApp account' })
  me?: string;

  @ApiPropertyOptional({ example: 'Loja Centro' })
  pushname?: string;

  @ApiProperty({ description: 'A device link is stored: a restart restores the session without a scan' })
  linked!: boolean;

  @ApiProperty({ description: 'Boot restores the session (false after an explicit stop)' })
  autoStart!: boolean;

  @ApiProperty({ description: 'A QR is on screen (state QR): fetch it from /qr or /qr.png' })
  qrAvailable!: boolean;

  @ApiPropertyOptional({ description: 'When WhatsApp is expected to replace the QR shown' })
  qrExpiresAt?: Date;

  @ApiPropertyOptional({ description: 'When the next automatic restart is due (DISCONNECTED, FAILED)' })
  retryAt?: Date;

  @ApiPropertyOptional()
  lastReadyAt?: Date;

  @ApiProperty({ enum: ['local', 'remote', 'none'], description: 'Which server process runs the session: this one, another, or none' })
  owner!: 'local' | 'remote' | 'none';

  @ApiProperty()
  updatedAt!: Date;
}

export class SessionQrResponse {
  @ApiProperty({ example: '2@Xk3…,Nt0…,Ab1…,Q2w…,1', description: 'The raw QR text (what the QR image encodes)' })
  qr!: string;

  @ApiPropertyOptional()
  expiresAt?: Date;
}
