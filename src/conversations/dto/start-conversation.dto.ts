import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';

/** SDK guide 4.1 (`StartConversationDto`). */
export class StartConversationDto {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919f', description: 'The channel’s platform configuration id (returned by setup)' })
  @IsObjectIdString()
  platformConfigId!: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  @IsObjectIdString()
  channelId!: string;

  @ApiProperty({
    example: '5521999999999',
    description: 'The customer: phone number with country code (or a WhatsApp group id `…@g.us`). The contact is created when new.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  clientProviderId!: string;

  @ApiPropertyOptional({ example: 'João Silva', description: 'The customer’s name (kept on a new contact)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userName?: string;

  @ApiProperty({ example: 'Minha Empresa Ltda', description: 'Required for whatsappweb' })
  @IsString()
  @IsNotEmpty({ message: 'companyName is required for whatsappweb' })
  @MaxLength(200)
  companyName!: string;

  @ApiPropertyOptional({ example: 'karoochat', description: 'Platform slug of the channel; default: the channel’s startingPlatform' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  platform?: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Kept and returned; platforms use it to rank their queues' })
  @IsOptional()
  @IsBoolean()
  sessionWithPriority?: boolean;
}
