import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTACT_TYPES } from '../contact-identifier';

export class ContactResponse {
  @ApiProperty({ example: '68e54649a3744412be5cc107' })
  id!: string;

  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  clientIdentifier!: string;

  @ApiProperty({ example: '689a05215b711247e8f54022' })
  channelId!: string;

  @ApiProperty({ example: '5521999999999' })
  contactIdentifier!: string;

  @ApiPropertyOptional({ example: 'João Silva' })
  name?: string;

  @ApiPropertyOptional({ example: 'João (Mercearia)' })
  customName?: string;

  @ApiProperty({ enum: CONTACT_TYPES, example: 'individual' })
  type!: string;

  @ApiProperty({ example: 'whatsapp' })
  channelType!: string;

  @ApiPropertyOptional({ example: 'https://bucket.s3.amazonaws.com/photos/joao.jpg' })
  photo?: string;

  @ApiProperty({ type: [String], example: ['68e54649a3744412be5cc107'] })
  tagIds!: string[];

  @ApiPropertyOptional({ example: 'karoochat' })
  platform?: string;

  @ApiProperty({ example: false })
  isIgnored!: boolean;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class ContactPageResponse {
  @ApiProperty({ type: [ContactResponse] })
  data!: ContactResponse[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 30 })
  limit!: number;

  @ApiProperty({ example: 1234 })
  total!: number;

  @ApiProperty({ example: 42 })
  totalPages!: number;
}
