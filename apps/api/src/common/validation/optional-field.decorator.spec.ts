import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { IsBoolean, IsIn, IsObject, IsString } from 'class-validator';
import { OptionalField } from './optional-field.decorator';
import { PartialDto } from './partial-dto';

class Example {
  @OptionalField()
  @IsIn(['A', 'B'])
  level?: 'A' | 'B';

  @OptionalField()
  @IsBoolean()
  flag?: boolean;

  @OptionalField()
  @IsObject()
  params?: Record<string, unknown>;

  @OptionalField()
  @IsString()
  name?: string;
}

// The app's global pipe, configured as in app-setup.ts.
const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
const body: ArgumentMetadata = { type: 'body', metatype: Example };

async function messages(value: unknown): Promise<string[] | null> {
  try {
    await pipe.transform(value, body);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
}

describe('OptionalField', () => {
  it('lets a field be left out', async () => {
    expect(await messages({})).toBeNull();
    expect(await messages({ level: 'A' })).toBeNull();
    expect(await messages({ flag: false, params: {}, name: '' })).toBeNull();
  });

  it.each(['level', 'flag', 'params', 'name'])('refuses null for %s, naming it', async (field) => {
    expect(await messages({ [field]: null })).toContain(`${field} must not be null`);
  });

  it('still runs the other validators on a present value', async () => {
    expect((await messages({ level: 'C' }))?.join()).toContain('level must be one of');
    expect((await messages({ flag: 'yes' }))?.join()).toContain('flag must be a boolean');
    expect((await messages({ params: [] }))?.join()).toContain('params must be an object');
  });

  it('keeps the field known to the whitelist', async () => {
    expect((await messages({ level: 'A', extra: 1 }))?.join()).toContain(
      'property extra should not exist',
    );
  });
});

describe('PartialDto', () => {
  class Create {
    @IsString()
    name!: string;

    @OptionalField()
    @IsIn(['A', 'B'])
    level?: 'A' | 'B';
  }
  class Update extends PartialDto(Create) {}
  const update: ArgumentMetadata = { type: 'body', metatype: Update };

  async function updateMessages(value: unknown): Promise<string[] | null> {
    try {
      await pipe.transform(value, update);
      return null;
    } catch (error) {
      return ((error as BadRequestException).getResponse() as { message: string[] }).message;
    }
  }

  it('makes every field optional', async () => {
    expect(await updateMessages({})).toBeNull();
    expect(await updateMessages({ level: 'B' })).toBeNull();
  });

  it.each(['name', 'level'])('refuses null for %s, as Nest’s PartialType would not', async (f) => {
    expect(await updateMessages({ [f]: null })).toContain(`${f} must not be null`);
  });

  it('keeps the base class’s checks and whitelist', async () => {
    expect((await updateMessages({ name: 3 }))?.join()).toContain('name must be a string');
    expect((await updateMessages({ extra: 1 }))?.join()).toContain(
      'property extra should not exist',
    );
  });
});
