import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CredentialWatch } from '../common/auth/credential-watch';
import { ApiKeyResolver } from '../common/auth/principal';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { MeController } from './me.controller';
import { ApiKey, ApiKeySchema } from './schemas/api-key.schema';

@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: ApiKey.name, schema: ApiKeySchema }])],
  controllers: [ApiKeysController, MeController],
  providers: [ApiKeysRepository, ApiKeysService, { provide: ApiKeyResolver, useExisting: ApiKeysService }, CredentialWatch],
  exports: [ApiKeyResolver, ApiKeysService, CredentialWatch],
})
export class AccountsModule {}
