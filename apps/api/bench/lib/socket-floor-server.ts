// Child process of the fan-out figure: a bare Socket.IO server, no Taskdeck, that broadcasts given
// `logs` payloads to rooms at a given rate. Its CPU per frame is what Socket.IO itself costs per
// client frame on this machine (the room's payload encoded once, then one WebSocket write per
// member): the part of the fan-out that no server design can share between clients.
// Protocol (IPC): sends {type: 'listening', port}; takes {type: 'start', payloads, rooms,
// intervalMs} and {type: 'stop'}, answered by {type: 'stopped', frames}. A client picks its room
// (0 … rooms − 1) with the handshake query `room`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface FloorStart {
  type: 'start';
  /** Payloads, sent in turn: tick t sends payloads[(t * rooms + r) % length] to room r. */
  payloads: unknown[];
  rooms: number;
  intervalMs: number;
}

export type FloorCommand = FloorStart | { type: 'stop' };
export type FloorReply = { type: 'listening'; port: number } | { type: 'stopped'; frames: number };

const send = (reply: FloorReply): void => void process.send?.(reply);

const http = createServer();
const io = new Server(http);
const namespace = io.of('/tasks');
namespace.on('connection', (socket) => {
  const room = socket.handshake.query.room;
  if (typeof room === 'string') void socket.join(`room:${room}`);
});

let timer: NodeJS.Timeout | null = null;
let frames = 0;

process.on('message', (command: FloorCommand) => {
  if (timer) clearInterval(timer);
  timer = null;
  if (command.type === 'start') {
    const { payloads, rooms, intervalMs } = command;
    let tick = 0;
    frames = 0;
    const start = performance.now();
    // Keeps the rate when timers fire late on a busy machine: every tick due by now is sent.
    timer = setInterval(
      () => {
        while (tick <= (performance.now() - start) / intervalMs) {
          for (let r = 0; r < rooms; r++) {
            const key = `room:${r}`;
            namespace.local.to(key).emit('logs', payloads[(tick * rooms + r) % payloads.length]);
            frames += namespace.adapter.rooms.get(key)?.size ?? 0;
          }
          tick++;
        }
      },
      Math.max(1, intervalMs / 2),
    );
  } else {
    send({ type: 'stopped', frames });
  }
});
process.on('disconnect', () => process.exit(0));

http.listen(0, '127.0.0.1', () =>
  send({ type: 'listening', port: (http.address() as AddressInfo).port }),
);
