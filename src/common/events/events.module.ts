import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DomainEvents, EVENT_EMITTER_OPTIONS } from './domain-events';

/** The app's one in-process event mechanism: @nestjs/event-emitter, and DomainEvents over it. */
@Global()
@Module({ imports: [EventEmitterModule.forRoot(EVENT_EMITTER_OPTIONS)], providers: [DomainEvents], exports: [DomainEvents] })
export class EventsModule {}
