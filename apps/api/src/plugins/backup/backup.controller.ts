import { BadGatewayException, BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { BackupDatabase } from '@taskdeck/contracts';
import { Roles } from '../../common/decorators/roles.decorator';
import { StorageService } from '../../storage/storage.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { SupersetError } from '../../superset/client/superset-errors';
import { serverTaskLogger } from '../../superset/server-task-logger';
import { BackupDatabasesQueryDto } from '../../storage/dto/storage-query.dto';
import { databasesFor, readBackupContents } from './restore-run';

/** What the restore form needs before it starts a task: which passwords the target lacks. */
@ApiTags('backups')
@ApiBearerAuth()
@Controller('backups')
export class BackupController {
  constructor(
    private readonly storage: StorageService,
    private readonly superset: SupersetClients,
  ) {}

  @Get('databases')
  @Roles('operator')
  @ApiOkResponse({ description: '[{uuid, name, file, onTarget, needsPassword}]' })
  @ApiBadGatewayResponse({ description: 'the target Superset failed; the message says how' })
  async databases(@Query() query: BackupDatabasesQueryDto): Promise<BackupDatabase[]> {
    const { environmentId } = query;
    const file = await this.storage.stat(query.path);
    if (file.category !== 'backups') throw new BadRequestException(`${file.path} is not a backup`);
    const contents = await readBackupContents(await this.storage.resolve(file.path)).catch(
      (error: Error) => {
        throw new BadRequestException(`${file.path} is not a readable backup: ${error.message}`);
      },
    );
    const client = await this.superset.forEnvironment(environmentId, {
      logger: serverTaskLogger('backups'),
    });
    try {
      return await databasesFor(contents, client);
    } catch (error) {
      if (error instanceof SupersetError) throw new BadGatewayException(error.message);
      throw error;
    }
  }
}
