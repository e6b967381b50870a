import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { LogDownloadQueryDto } from './log-download-query.dto';
import { LogQueryDto } from './log-query.dto';

// The app's global pipe, configured as in app-setup.ts.
const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
const asQuery = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
});

async function problems(
  query: Record<string, unknown>,
  metatype: ArgumentMetadata['metatype'] = LogQueryDto,
) {
  try {
    await pipe.transform(query, asQuery(metatype));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as { message: string[] };
  }
}

describe('LogQueryDto', () => {
  it('accepts every filter and turns the numbers into numbers', async () => {
    const query = (await pipe.transform(
      {
        level: 'WARNING',
        source: 'git,storage',
        search: '100%',
        afterSeq: '10',
        beforeSeq: '9007199254740991',
        limit: '1000',
      },
      asQuery(LogQueryDto),
    )) as LogQueryDto;
    expect(query).toBeInstanceOf(LogQueryDto);
    expect(query).toEqual({
      level: 'WARNING',
      source: 'git,storage',
      search: '100%',
      afterSeq: 10,
      beforeSeq: Number.MAX_SAFE_INTEGER,
      limit: 1000,
    });
    expect(await problems({})).toBeNull();
    expect(await problems({ limit: '1', afterSeq: '0' })).toBeNull();
  });

  it.each([
    [{ level: 'TRACE' }, 'level must be one of DEBUG, INFO, WARNING, ERROR'],
    [{ level: '' }, 'level'],
    [{ limit: '0' }, 'limit must not be less than 1'],
    [{ limit: '5000' }, 'limit must not be greater than 1000'],
    [{ limit: 'abc' }, 'limit must be an integer'],
    [{ limit: '1.5' }, 'limit must be an integer'],
    [{ limit: '1e2' }, 'limit must be an integer'],
    [{ limit: ['1', '2'] }, 'limit must be an integer'],
    [{ afterSeq: 'abc' }, 'afterSeq must be an integer'],
    [{ afterSeq: '-1' }, 'afterSeq must be an integer'],
    [{ beforeSeq: 'x' }, 'beforeSeq must be an integer'],
    [{ beforeSeq: '99999999999999999999' }, 'beforeSeq must not be greater than'],
    [{ search: 'x'.repeat(501) }, 'search must be shorter than or equal to 500 characters'],
    [{ search: ['a', 'b'] }, 'search must be a string'],
    [{ source: Array.from({ length: 51 }, (_, i) => `s${i}`).join(',') }, 'at most 50 sources'],
    [{ source: 'ok,' + 's'.repeat(101) }, 'sources of at most 100 characters'],
    [{ unknown: '1' }, 'property unknown should not exist'],
  ])('rejects %j with a reason', async (query, reason) => {
    const response = await problems(query);
    expect(response).not.toBeNull();
    expect(response?.message.join(' | ')).toContain(reason);
  });
});

describe('LogDownloadQueryDto', () => {
  it('takes a format and the filters, but no limit', async () => {
    expect(
      await problems({ format: 'ndjson', level: 'ERROR', source: 'beta' }, LogDownloadQueryDto),
    ).toBeNull();
    expect(await problems({ format: 'text' }, LogDownloadQueryDto)).toBeNull();
    expect((await problems({ format: 'xml' }, LogDownloadQueryDto))?.message.join()).toContain(
      'format must be one of text, ndjson',
    );
    expect((await problems({ limit: '10' }, LogDownloadQueryDto))?.message.join()).toContain(
      'property limit should not exist',
    );
  });
});
