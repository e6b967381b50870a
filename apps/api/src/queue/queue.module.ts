import { Module } from '@nestjs/common';
import { JobQueue } from './job-queue.service';

/** The job queue (pg-boss) that tasks and schedules run through. */
@Module({ providers: [JobQueue], exports: [JobQueue] })
export class QueueModule {}
