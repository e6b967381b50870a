import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { IsBoolean, IsIn, IsObject, IsString } from 'class-validator';
import { OptionalField } from './optional-field.decorator';

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
