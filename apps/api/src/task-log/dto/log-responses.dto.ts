// Response shapes of the log routes, for the OpenAPI document (the contract types are the truth).
import { ApiProperty } from '@nestjs/swagger';
import {
  LOG_LEVELS,
  type LogEntry,
  type LogLevel,
  type LogPage,
  type LogStats,
} from '@taskdeck/contracts';

export class LogEntryDto implements LogEntry {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: '1, 2, 3… per task: the cursor everywhere',
  })
  seq!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T06:00:00.123Z' })
  timestamp!: string;

  @ApiProperty({ enum: LOG_LEVELS })
  level!: LogLevel;

  @ApiProperty({ example: 'git' })
  source!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  metadata!: Record<string, unknown> | null;
}

export class LogPageDto implements LogPage {
  @ApiProperty({ type: [LogEntryDto], description: 'ascending seq' })
  items!: LogEntryDto[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'the afterSeq of the next page, or null at the end',
  })
  nextCursor!: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'the beforeSeq that loads the older entries, or null when there are none',
  })
  prevCursor!: number | null;
}

export class LogStatsDto implements LogStats {
  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(LOG_LEVELS.map((level) => [level, { type: 'integer' }])),
    required: [...LOG_LEVELS],
  })
  byLevel!: Record<LogLevel, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { git: 12, storage: 3 },
  })
  bySource!: Record<string, number>;
}
