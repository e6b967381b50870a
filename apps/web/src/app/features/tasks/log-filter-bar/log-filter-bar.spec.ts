import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { LogStats } from '@taskdeck/contracts';
import {
  EMPTY_FILTER,
  filterFromParams,
  filterToParams,
  filterToQuery,
  matchesSearch,
  type LogFilter,
} from './log-filter';
import { LogFilterBar, SEARCH_DEBOUNCE_MS } from './log-filter-bar';

const stats: LogStats = {
  total: 6,
  byLevel: { DEBUG: 1, INFO: 3, WARNING: 1, ERROR: 1 },
  bySource: { git: 2, superset_api: 4 },
};

describe('log filter ↔ URL and query', () => {
  it('reads a shared URL and writes it back the same', () => {
    const filter = filterFromParams({
      level: 'WARNING',
      source: 'git,superset_api,git',
      q: ' lease ',
    });
    expect(filter).toEqual({ level: 'WARNING', sources: ['git', 'superset_api'], search: 'lease' });
    expect(filterToParams(filter)).toEqual({
      level: 'WARNING',
      source: 'git,superset_api',
      q: 'lease',
    });
    expect(filterToQuery(filter)).toEqual({
      level: 'WARNING',
      source: 'git,superset_api',
      search: 'lease',
    });
  });

  it('ignores what is not a filter and removes empty parameters', () => {
    expect(filterFromParams({ level: 'LOUD', source: '', q: 3 })).toEqual(EMPTY_FILTER);
    expect(filterToParams(EMPTY_FILTER)).toEqual({ level: null, source: null, q: null });
  });

  it('keeps a URL within the server’s filter limits', () => {
    const many = Array.from({ length: 60 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const filter = filterFromParams({
      source: [...many, 'x'.repeat(101)].join(','),
      q: 'y'.repeat(600),
    });
    expect(filter.sources).toEqual(many.slice(0, 50));
    expect(filter.search).toBe('y'.repeat(500));
  });

  it('matches search text case-insensitively and literally', () => {
    const entry = { message: 'Lease 50%_done' } as Parameters<typeof matchesSearch>[0];
    expect(matchesSearch(entry, 'lease 50%_')).toBe(true);
    expect(matchesSearch(entry, 'lease 5_')).toBe(false);
  });
});

describe('LogFilterBar', () => {
  let fixture: ComponentFixture<LogFilterBar>;
  let emitted: LogFilter[];

  function render(filter: LogFilter): HTMLElement {
    fixture.componentRef.setInput('filter', filter);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    fixture = TestBed.createComponent(LogFilterBar);
    fixture.componentRef.setInput('stats', stats);
    emitted = [];
    fixture.componentInstance.filterChange.subscribe((f) => emitted.push(f));
  });

  afterEach(() => vi.useRealTimers());

  it('lists the sources with their counts, chosen ones checked', () => {
    const root = render({ ...EMPTY_FILTER, sources: ['git'] });
    const git = root.querySelector<HTMLInputElement>('[data-testid="filter-source-git"]')!;
    const api = root.querySelector<HTMLInputElement>('[data-testid="filter-source-superset_api"]')!;
    expect(git.checked).toBe(true);
    expect(api.checked).toBe(false);
    expect(root.querySelector('[data-testid="filter-sources"]')!.textContent).toContain('4');
  });

  it('emits the new source set and level', () => {
    const root = render({ ...EMPTY_FILTER, sources: ['git'] });
    const api = root.querySelector<HTMLInputElement>('[data-testid="filter-source-superset_api"]')!;
    api.checked = true;
    api.dispatchEvent(new Event('change'));
    const level = root.querySelector<HTMLSelectElement>('[data-testid="filter-level"]')!;
    level.value = 'ERROR';
    level.dispatchEvent(new Event('change'));
    expect(emitted).toEqual([
      { level: null, sources: ['git', 'superset_api'], search: '' },
      { level: 'ERROR', sources: ['git'], search: '' },
    ]);
  });

  it('debounces the search: one emission after typing stops', () => {
    vi.useFakeTimers();
    const root = render(EMPTY_FILTER);
    const search = root.querySelector<HTMLInputElement>('[data-testid="filter-search"]')!;
    for (const text of ['l', 'le', 'lease']) {
      search.value = text;
      search.dispatchEvent(new Event('input'));
      vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 50);
    }
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(emitted).toEqual([{ level: null, sources: [], search: 'lease' }]);
  });

  it('clears every filter at once', () => {
    const root = render({ level: 'INFO', sources: ['git'], search: 'x' });
    root.querySelector<HTMLButtonElement>('[data-testid="filter-clear"]')!.click();
    expect(emitted).toEqual([EMPTY_FILTER]);
  });
});
