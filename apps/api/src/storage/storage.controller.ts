import { Controller, Delete, Get, HttpCode, Logger, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { StorageUsage, StoredFile } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { FilePathQueryDto, ListFilesQueryDto } from './dto/storage-query.dto';
import { StorageService } from './storage.service';

@ApiTags('storage')
@ApiBearerAuth()
@Controller('storage')
export class StorageController {
  private readonly logger = new Logger(StorageController.name);

  constructor(private readonly storage: StorageService) {}

  @Get('files')
  @ApiOkResponse({ description: 'files, newest first' })
  @ApiBadRequestResponse({ description: 'a prefix that leaves the storage root' })
  list(@Query() query: ListFilesQueryDto): Promise<StoredFile[]> {
    return this.storage.list(query);
  }

  @Get('files/download')
  @ApiOkResponse({ description: 'the file as an attachment' })
  @ApiBadRequestResponse({ description: 'a path that leaves the storage root' })
  async download(@Query() query: FilePathQueryDto): Promise<StreamableFile> {
    const { file, stream } = await this.storage.openRead(query.path);
    return new StreamableFile(stream, {
      type: file.mimeType,
      length: file.size,
      disposition: contentDisposition(file.name),
    });
  }

  @Delete('files')
  @Roles('admin')
  @HttpCode(204)
  @ApiBadRequestResponse({ description: 'a path that leaves the storage root' })
  async remove(@Query() query: FilePathQueryDto, @CurrentUser() user: AuthUser): Promise<void> {
    const file = await this.storage.delete(query.path);
    this.logger.log(`${user.username} deleted ${file.path} (${file.size} bytes)`);
  }

  @Get('usage')
  @ApiOkResponse({ description: '{totalBytes, files, byCategory}' })
  usage(): Promise<StorageUsage> {
    return this.storage.usage();
  }
}

/** `attachment` with an ASCII fallback name and the exact one in RFC 5987 form. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
