// The baseline of the pickup figure: Taskdeck's former way of starting a task, reduced to its
// path: an HTTP server whose POST inserts the task PENDING and pushes it on a FIFO in the same
// process, which claims it (UPDATE … WHERE status = 'PENDING' → RUNNING) at once, as the
// per-instance queue did before the job queue. No auth, validation or logging: a floor.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

export interface InProcessQueue {
  url: string;
  stop(): Promise<void>;
}

export async function startInProcessQueue(databaseUrl: string): Promise<InProcessQueue> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const queue: string[] = [];
  let running = 0;
  const concurrency = 4;

  const pump = (): void => {
    while (running < concurrency && queue.length) {
      const id = queue.shift()!;
      running++;
      void pool
        .query(
          `UPDATE tasks SET status = 'RUNNING', started_at = now(), owner_instance = 'in-process'
           WHERE id = $1 AND status = 'PENDING'`,
          [id],
        )
        .then(() =>
          pool.query(`UPDATE tasks SET status = 'SUCCESS', finished_at = now() WHERE id = $1`, [
            id,
          ]),
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  };

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { pluginId, params } = JSON.parse(body) as { pluginId: string; params: object };
      pool
        .query<{ id: string; created_at: Date }>(
          `INSERT INTO tasks (plugin_id, params, status, created_by, created_at)
           VALUES ($1, $2, 'PENDING', 'bench', now()) RETURNING id, created_at`,
          [pluginId, params],
        )
        .then(({ rows: [task] }) => {
          queue.push(task.id);
          pump();
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ id: task.id, status: 'PENDING' }));
        })
        .catch((error: Error) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: error.message }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
