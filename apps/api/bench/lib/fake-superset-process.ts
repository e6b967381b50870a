// A fake Superset in a process of its own (for figures that measure the memory of the process
// doing the work, not of the fake's seeded store). Reads a JSON config from argv[2], prints
// `{"url": …}` on one line once it listens, and stops when stdin closes.
import { randomBytes } from 'node:crypto';
import { FakeSuperset } from '../../test/fakes/superset';

interface Config {
  latencyMs: number;
  dashboards: number;
  /** Random bytes per dashboard, written base64 into its description (≈ 0.75 of it deflated). */
  descriptionBytes: number;
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
      description: randomBytes(config.descriptionBytes).toString('base64'),
    });
  }
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void fake.stop().then(() => process.exit(0)));
}

void main();
