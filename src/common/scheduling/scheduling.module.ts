import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { SweepScheduler } from './sweep-scheduler';

/** @nestjs/schedule's registry, and the SweepScheduler every module's background passes use. */
@Global()
@Module({ imports: [ScheduleModule.forRoot()], providers: [SweepScheduler], exports: [SweepScheduler] })
export class SchedulingModule {}
