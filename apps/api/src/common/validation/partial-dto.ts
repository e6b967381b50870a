// The update DTO of a create DTO: every field optional, none nullable. Nest's PartialType marks
// each field IsOptional, which skips its checks for null as well, so `{"name": null}` would pass;
// here an absent field is optional and a null one is refused like any other wrong value.
import type { Type } from '@nestjs/common';
// eslint-disable-next-line no-restricted-imports -- the one place that may: with skipNullProperties off
import { PartialType } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { NotNull } from './optional-field.decorator';

export function PartialDto<T>(base: Type<T>): Type<Partial<T>> {
  const partial = PartialType(base, { skipNullProperties: false });
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(base, '', true, false)
    .map((metadata) => metadata.propertyName);
  const prototype = partial.prototype as object;
  for (const property of new Set(validated)) NotNull()(prototype, property);
  return partial;
}
