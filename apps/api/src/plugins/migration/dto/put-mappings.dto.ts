import { ApiProperty } from '@nestjs/swagger';
import type { PutMigrationMappingsRequest } from '@taskdeck/contracts';
import {
  IsObject,
  isUUID,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

export const MAX_MAPPINGS = 1000;

/** `{<uuid>: <uuid>}` with at most MAX_MAPPINGS entries. */
@ValidatorConstraint({ name: 'uuidMap' })
export class UuidMapConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    return (
      entries.length <= MAX_MAPPINGS &&
      entries.every(([k, v]) => isUUID(k) && typeof v === 'string' && isUUID(v))
    );
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must map source database uuids to target database uuids (at most ${MAX_MAPPINGS})`;
  }
}

export class PutMappingsDto implements PutMigrationMappingsRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
    example: { '5c1e…': '9a0b…' },
    description: 'the whole set for the pair: source database uuid → target database uuid',
  })
  @IsObject()
  @Validate(UuidMapConstraint)
  mappings!: Record<string, string>;
}
