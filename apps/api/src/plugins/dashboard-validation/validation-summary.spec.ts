import { logFacts, mergeVerdict, pngSize, summaryText, type ChartFact } from './validation-summary';

const charts: ChartFact[] = [
  { id: 1, name: 'Revenue', ok: true, status: 200, rows: 12 },
  { id: 2, name: 'Broken', ok: false, status: 400, error: 'relation "x" does not exist' },
];

describe('validation summary', () => {
  it('never lets the model pass a dashboard whose chart data failed', () => {
    expect(mergeVerdict({ status: 'PASS', issues: [] }, charts)).toEqual({
      status: 'FAIL',
      issues: [
        {
          severity: 'error',
          message: 'The chart\'s data request failed: relation "x" does not exist',
          location: 'Broken',
        },
      ],
    });
    const named = { severity: 'error' as const, message: 'Shows an error', location: 'Broken' };
    expect(mergeVerdict({ status: 'FAIL', issues: [named] }, charts)).toEqual({
      status: 'FAIL',
      issues: [named],
    });
    expect(mergeVerdict({ status: 'WARN', issues: [] }, [charts[0]]).status).toBe('WARN');
  });

  it('keeps the log of the last 24 h about the dashboard and its charts, errors picked out', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const entry = (dttm: string, dashboard: number | null, chart: number | null, json: string) => ({
      action: 'ChartRestApi.data',
      dttm,
      user_id: 1,
      dashboard_id: dashboard,
      slice_id: chart,
      duration_ms: 1,
      json,
    });
    const facts = logFacts(
      [
        entry('2026-12-02T11:00:00', 7, 2, '{"error": "boom"}'),
        entry('2026-12-02T10:00:00', null, 1, '{}'),
        entry('2026-12-01T10:00:00', 7, 2, '{"error": "too old"}'),
        entry('2026-12-02T11:30:00', 8, 9, '{"error": "another dashboard"}'),
      ],
      7,
      new Set([1, 2]),
      now,
    );
    expect(facts.entries).toBe(2);
    expect(facts.errors.map((e) => e.text)).toEqual(['{"error": "boom"}']);
    const text = summaryText({ id: 7, title: 'Sales' }, [...charts].reverse(), facts, {
      width: 10,
      height: 20,
    });
    expect(text).toMatch(
      /Charts \(2\):\n- "Revenue" \(id 1\): data OK \(12 rows\)\n- "Broken" \(id 2\): DATA REQUEST FAILED \(HTTP 400\)/,
    );
    expect(text).toMatch(/10×20 px/);
  });

  it('reads a PNG header', () => {
    const header = Buffer.alloc(24);
    Buffer.from('89504e470d0a1a0a', 'hex').copy(header, 0);
    header.write('IHDR', 12, 'latin1');
    header.writeUInt32BE(1600, 16);
    header.writeUInt32BE(920, 20);
    expect(pngSize(header)).toEqual({ width: 1600, height: 920 });
    expect(pngSize(Buffer.from('not a png at all, not at all'))).toBeUndefined();
  });
});

describe('charts whose data could not be checked', () => {
  it('are named as such and do not fail the verdict', () => {
    const unchecked: ChartFact = {
      id: 3,
      name: 'Old chart',
      ok: true,
      status: 400,
      unchecked: 'saved without a query context',
    };
    expect(mergeVerdict({ status: 'PASS', issues: [] }, [unchecked]).status).toBe('PASS');
    expect(
      summaryText({ id: 1, title: 'D' }, [unchecked], undefined, { width: 1, height: 1 }),
    ).toMatch(/"Old chart" \(id 3\): data not checked \(saved without a query context\)/);
  });
});
