// A fake Superset in a process of its own (for figures that measure the memory of the process
// doing the work, not of the fake's seeded store). Reads a JSON config from argv[2], prints
// `{"url": …}` on one line once it listens, and stops when stdin closes.
import { randomInt, randomUUID } from 'node:crypto';
import { FakeSuperset } from '../../test/fakes/superset';

interface Config {
  latencyMs: number;
  dashboards: number;
  /**
   * Characters of export-like text per dashboard, in its description: Superset stores its export
   * entries uncompressed, so each dashboard adds about this much to an export ZIP.
   */
  descriptionBytes: number;
}

const VIZ_TYPES = [
  'table',
  'line',
  'bar',
  'pie',
  'big_number',
  'pivot_table_v2',
  'area',
  'echarts_timeseries',
];

/**
 * Text shaped like an export's chart params and layout: the same keys on every line, ids, numbers
 * and UUIDs that vary (it deflates to about a third, as export YAML with many UUIDs does).
 */
function exportLikeText(chars: number): string {
  const lines: string[] = [];
  for (let length = 0; length < chars;) {
    const id = randomInt(1_000_000);
    const line = `{"slice_id": ${id}, "viz_type": "${VIZ_TYPES[id % VIZ_TYPES.length]}", "metric": "sum__col_${id % 97}", "row_limit": ${(id % 50) * 100}, "color": "#${randomInt(16_777_216).toString(16).padStart(6, '0')}", "uuid": "${randomUUID()}"}`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n').slice(0, chars);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Config;
  const fake = await FakeSuperset.start({ latencyMs: config.latencyMs });
  const db = fake.store.addDatabase({ database_name: 'warehouse' });
  const datasets = Array.from({ length: 10 }, (_, i) =>
    fake.store.addDataset({ database_id: db.id, table_name: `table_${i}` }),
  );
  for (let i = 0; i < config.dashboards; i++) {
    const chart = fake.store.addChart({
      datasource_id: datasets[i % datasets.length].id,
      slice_name: `Chart ${i}`,
    });
    fake.store.addDashboard({
      dashboard_title: `Dashboard ${i}`,
      chart_ids: [chart.id],
      description: exportLikeText(config.descriptionBytes),
    });
  }
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void fake.stop().then(() => process.exit(0)));
}

void main();
