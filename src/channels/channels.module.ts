import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelHooks } from './channel-hooks';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';
import { PlatformConfigsController } from './platform-configs.controller';
import { PlatformEndpointsService } from './platform-endpoints.service';
import { PlatformsController } from './platforms.controller';
import { Channel, ChannelSchema } from './schemas/channel.schema';
import { CredentialsCipher } from '../providers/credentials-cipher';

/** Channels (SDK guide 1.1): setup, platform endpoints and their webhook signing secrets. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Channel.name, schema: ChannelSchema }])],
  controllers: [ChannelsController, PlatformsController, PlatformConfigsController],
  providers: [ChannelsRepository, ChannelsService, PlatformEndpointsService, ChannelHooks, CredentialsCipher],
  exports: [ChannelsService, ChannelHooks, CredentialsCipher],
})
export class ChannelsModule {}
