import type { SearchMatch } from '@taskdeck/contracts';
import { datasetLink, matchParts } from './search-results';

describe('search results', () => {
  it('cuts the context around the match', () => {
    const m = {
      matchContext: 'SELECT customer_id FROM t',
      matchStart: 7,
      matchLength: 11,
    } as SearchMatch;
    expect(matchParts(m)).toEqual({ before: 'SELECT ', match: 'customer_id', after: ' FROM t' });
  });

  it('links to the dataset in its Superset', () => {
    expect(datasetLink('https://bi.example/', 7)).toBe(
      'https://bi.example/explore/?datasource_type=table&datasource_id=7',
    );
  });
});
