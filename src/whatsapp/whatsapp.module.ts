import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Placeholder: the session manager, onboarding and engines arrive with the WhatsApp issue. */
@Module({})
export class WhatsappModule {
  static forRoot(_config: AppConfig): DynamicModule {
    return { module: WhatsappModule };
  }
}
