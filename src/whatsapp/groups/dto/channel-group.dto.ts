import { ApiProperty } from '@nestjs/swagger';

/** One WhatsApp group of a channel's number (GET /channels/:channelId/groups). */
export class ChannelGroupResponse {
  @ApiProperty({
    example: '120363031111111111@g.us',
    description: 'The WhatsApp group id: what group sends take as `recipientNumber` (POST /messages/group and the other group sends)',
  })
  id!: string;

  @ApiProperty({ example: 'Clientes VIP', description: 'The group name' })
  subject!: string;

  @ApiProperty({ example: 3, description: "Members, the channel's own number included" })
  participantsCount!: number;

  @ApiProperty({ example: true, description: "The channel's number is a member (false: it left or was removed; WhatsApp keeps the chat)" })
  isMember!: boolean;

  @ApiProperty({ example: true, description: "The channel's number is an admin of the group (its creator included)" })
  isAdmin!: boolean;
}
