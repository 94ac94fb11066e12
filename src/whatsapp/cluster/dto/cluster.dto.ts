import { ApiProperty } from '@nestjs/swagger';

export class ClusterProcessResponse {
  @ApiProperty({ description: 'The process id (host:pid:random), as in lease keys and logs', example: 'omc-1:4121:a1b2c3' })
  id!: string;

  @ApiProperty({ description: 'WhatsApp Web sessions it runs', example: 12 })
  sessions!: number;

  @ApiProperty({ description: 'Its SESSION_MAX_PER_PROCESS', example: 50 })
  cap!: number;

  @ApiProperty({ description: 'Draining: hands its sessions over and takes no new ones' })
  draining!: boolean;

  @ApiProperty({ description: 'The process answering this request' })
  self!: boolean;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'Its last heartbeat (every third of SESSION_LEASE_TTL_MS)' })
  heartbeatAt!: string;

  @ApiProperty({
    required: false,
    description: 'Id (a hash) of its PROVIDER_CREDENTIALS_KEY: must be the same on every process, or links stored by one cannot be restored by another',
    example: '3f9a1c2e',
  })
  credentialsKeyId?: string;
}

export class ClusterResponse {
  @ApiProperty({ type: [ClusterProcessResponse], description: 'Live server processes, oldest first' })
  processes!: ClusterProcessResponse[];
}

export class DrainResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'Sessions it handed to other processes' })
  handedOver!: number;
}

export class ResumeResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'The process takes sessions again' })
  resumed!: boolean;
}
