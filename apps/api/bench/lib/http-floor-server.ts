// Child process of the HTTP figures: a bare node:http server, no framework, that answers GET
// <path> with the bytes it was given for that path (the same JSON Taskdeck sent), with the same
// Content-Type. What a request costs on this machine when the server does nothing but answer: the
// floor each HTTP figure is judged against.
// Protocol (IPC): sends {type: 'listening', port}; takes {type: 'routes', routes} (path with its
// query → body), answered by {type: 'ready'}. Other paths: 404.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HttpFloorCommand = { type: 'routes'; routes: Record<string, string> };
export type HttpFloorReply = { type: 'listening'; port: number } | { type: 'ready' };

const send = (reply: HttpFloorReply): void => void process.send?.(reply);

let routes = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const body = routes.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
  });
  res.end(body);
});
server.keepAliveTimeout = 60_000;

process.on('message', (command: HttpFloorCommand) => {
  if (command.type === 'routes') {
    routes = new Map(
      Object.entries(command.routes).map(([path, body]) => [path, Buffer.from(body)]),
    );
    send({ type: 'ready' });
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));

server.listen(0, '127.0.0.1', () => {
  send({ type: 'listening', port: (server.address() as AddressInfo).port });
});
