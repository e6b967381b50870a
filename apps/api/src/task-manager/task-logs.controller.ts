import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Controller,
  Get,
  Header,
  Logger,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { LogEntry, LogStats } from '@taskdeck/contracts';
import type { Response } from 'express';
import { LogDownloadQueryDto } from '../task-log/dto/log-download-query.dto';
import { LogQueryDto } from '../task-log/dto/log-query.dto';
import { LogPageDto, LogStatsDto } from '../task-log/dto/log-responses.dto';
import {
  DOWNLOAD_CONTENT_TYPES,
  downloadFileName,
  formatLog,
} from '../task-log/query/log-download-format';
import { TaskLogReader } from '../task-log/query/task-log-reader.service';
import { TaskManager } from './task-manager.service';

/** Reading a task's stored log: any signed-in role. The task manager says whether the task exists. */
@ApiTags('task logs')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'malformed task id or query value' })
@ApiNotFoundResponse({ description: 'unknown task' })
@Controller('tasks/:id/logs')
export class TaskLogsController {
  private readonly logger = new Logger(TaskLogsController.name);

  constructor(
    private readonly logs: TaskLogReader,
    private readonly tasks: TaskManager,
  ) {}

  @Get()
  @ApiOkResponse({ type: LogPageDto, description: 'one page, ascending seq' })
  @Header('Content-Type', 'application/json; charset=utf-8')
  async page(@Param('id', ParseUUIDPipe) id: string, @Query() query: LogQueryDto): Promise<string> {
    // The page's JSON (a LogPage), written from the rows' text: the hottest read, not parsed into
    // objects to be stringified again (docs/performance-notes.md, "The HTTP path").
    const page = await this.logs.pageJson(id, query);
    // A stored entry proves the task exists (a task's log is deleted with it, in one transaction):
    // only an empty page needs the extra query.
    if (page.items === 0) await this.assertTask(id);
    return page.json;
  }

  @Get('stats')
  @ApiOkResponse({ type: LogStatsDto })
  async stats(@Param('id', ParseUUIDPipe) id: string): Promise<LogStats> {
    const stats = await this.logs.stats(id);
    // Counters exist only for a task that exists (deleted with it): only none needs the query.
    if (stats.total === 0) await this.assertTask(id);
    return stats;
  }

  @Get('sources')
  @ApiOkResponse({ type: [String], description: 'the distinct sources, sorted' })
  async sources(@Param('id', ParseUUIDPipe) id: string): Promise<string[]> {
    await this.assertTask(id);
    return this.logs.sources(id);
  }

  @Get('download')
  @ApiProduces(DOWNLOAD_CONTENT_TYPES.text, DOWNLOAD_CONTENT_TYPES.ndjson)
  @ApiOkResponse({ description: 'the whole log (filtered) as a streamed attachment' })
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LogDownloadQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    await this.assertTask(id);
    const format = query.format ?? 'text';
    const chunks = this.logs.streamEntries(id, query);
    // The first chunk before any header: a failing database still gets a proper error response.
    const first = await chunks.next();
    res.setHeader('Content-Type', DOWNLOAD_CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${downloadFileName(id, format)}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Byte mode: the stream then holds about one chunk ahead of the client, not 16 of them.
    const body = Readable.from(formatLog(prepend(first, chunks), format), { objectMode: false });
    try {
      // Waits for the client to read (backpressure) and stops reading the log when it goes away.
      await pipeline(body, res);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.warn(`log download of task ${id} broke off: ${String(error)}`);
      }
    }
  }

  private async assertTask(id: string): Promise<void> {
    if (!(await this.tasks.exists(id))) throw new NotFoundException(`task ${id} not found`);
  }
}

async function* prepend(
  first: IteratorResult<LogEntry[], void>,
  rest: AsyncGenerator<LogEntry[], void, undefined>,
): AsyncGenerator<LogEntry[], void, undefined> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}
