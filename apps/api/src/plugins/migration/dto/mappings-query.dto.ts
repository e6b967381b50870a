import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `?source=&target=`: the pair of environments whose mappings are meant. */
export class MappingsQueryDto {
  @ApiProperty({ format: 'uuid', description: 'the source environment' })
  @IsUUID()
  source!: string;

  @ApiProperty({ format: 'uuid', description: 'the target environment' })
  @IsUUID()
  target!: string;
}
