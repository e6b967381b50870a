import { parse } from 'yaml';
import {
  commitMessage,
  environmentFolder,
  maskUriPassword,
  planLayout,
  sectionOf,
  stableYaml,
  withCoAuthor,
} from './export-layout';

describe('export layout', () => {
  it('names an environment folder readably and safely', () => {
    expect(environmentFolder('prod')).toBe('prod');
    expect(environmentFolder('Staging EU / 2')).toBe('Staging-EU-2');
    expect(environmentFolder('../..')).toBe('environment');
    expect(environmentFolder('.git')).toBe('git');
  });

  it('keeps only YAML files of the four sections, with plain paths', () => {
    expect(sectionOf('dashboards/Sales_1.yaml')).toBe('dashboards');
    expect(sectionOf('datasets/warehouse/orders_3.yaml')).toBe('datasets');
    expect(sectionOf('metadata.yaml')).toBeUndefined();
    expect(sectionOf('charts/readme.txt')).toBeUndefined();
    expect(sectionOf('charts/.git/config.yaml')).toBeUndefined();
    expect(sectionOf('charts/../x.yaml')).toBeUndefined();
    expect(sectionOf('other/x.yaml')).toBeUndefined();
  });

  it('sorts keys at every depth, so two exports of the same object are byte-identical', () => {
    const a = stableYaml('b: 1\na: {d: [ {y: 1, x: 2} ], c: "two"}\n');
    const b = stableYaml('a:\n  c: two\n  d:\n    - x: 2\n      y: 1\nb: 1\n');
    expect(a).toBe(b);
    // `y` is quoted: YAML 1.1 reads a bare y as true.
    expect(a).toBe('a:\n  c: two\n  d:\n    - x: 2\n      "y": 1\nb: 1\n');
  });

  it('never writes a database password as anything but the mask', () => {
    expect(maskUriPassword('postgresql://u:secret@db:5432/x')).toBe(
      'postgresql://u:XXXXXXXXXX@db:5432/x',
    );
    expect(maskUriPassword('postgresql://u:XXXXXXXXXX@db/x')).toBe(
      'postgresql://u:XXXXXXXXXX@db/x',
    );
    expect(maskUriPassword('sqlite:////tmp/x.db')).toBe('sqlite:////tmp/x.db');
    const text = stableYaml(
      'database_name: w\nsqlalchemy_uri: postgresql://u:hunter2@db/w\nextra: {password: hunter2}\n',
    );
    expect(text).not.toContain('hunter2');
    expect(parse(text)).toMatchObject({
      sqlalchemy_uri: 'postgresql://u:XXXXXXXXXX@db/w',
      extra: { password: 'XXXXXXXXXX' },
    });
  });

  it('quotes what PyYAML (YAML 1.1) would read as another type', () => {
    const text = stableYaml(
      "slug: 'on'\nanswer: 'yes'\nwhen: '2026-12-01T10:00:00Z'\ncount: 3\nok: true\n",
    );
    expect(text).toBe(
      'answer: "yes"\ncount: 3\nok: true\nslug: "on"\nwhen: "2026-12-01T10:00:00Z"\n',
    );
  });

  it('does not fold long lines (a one-word change stays a one-line diff)', () => {
    const long = 'x'.repeat(50) + ' ' + 'y'.repeat(200);
    expect(stableYaml(`sql: "${long}"\n`)).toBe(`sql: ${long}\n`);
  });

  it('keeps the path an object has in the repository, by section and uuid', () => {
    const existing = new Map([
      ['dashboards/Sales_1.yaml', 'uuid: d1\ndashboard_title: Sales\n'],
      ['charts/Old_2.yaml', 'uuid: c2\nslice_name: Old\n'],
      ['charts/Gone_3.yaml', 'uuid: c3\nslice_name: Gone\n'],
    ]);
    const exported = new Map([
      ['dashboards/Revenue_1.yaml', 'uuid: d1\ndashboard_title: Revenue\n'],
      ['charts/Old_2.yaml', 'uuid: c2\nslice_name: Old\n'],
      ['metadata.yaml', 'timestamp: now\n'],
    ]);
    const partial = planLayout(exported, existing, false);
    expect([...partial.writes.keys()]).toEqual(['charts/Old_2.yaml', 'dashboards/Sales_1.yaml']);
    expect(partial.writes.get('dashboards/Sales_1.yaml')).toContain('Revenue');
    expect(partial.deletes).toEqual([]);
    expect(planLayout(exported, existing, true).deletes).toEqual(['charts/Gone_3.yaml']);
  });

  it('generates the message and the co-author trailer', () => {
    expect(commitMessage('prod', ['Sales', 'Ops', 'HR'])).toBe(
      'Update 3 dashboards from prod: Sales, Ops, HR',
    );
    expect(commitMessage('prod', ['Sales'])).toBe('Update 1 dashboard from prod: Sales');
    const many = Array.from({ length: 12 }, (_, i) => `D${i}`);
    expect(commitMessage('prod', many)).toMatch(/: D0, .*D9 and 2 more$/);
    expect(withCoAuthor('Update', 'alice')).toBe(
      'Update\n\nCo-authored-by: alice <alice@users.taskdeck.invalid>\n',
    );
    expect(withCoAuthor('Update', null)).toBe('Update');
  });
});
