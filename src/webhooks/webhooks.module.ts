import { Module } from '@nestjs/common';

/** Placeholder: filled in by the feature's issue. */
@Module({})
export class WebhooksModule {}
