// The plumbing the loopback API servers share: an HTTP server on 127.0.0.1 at a free port,
// answers that can be held back (injected latency), and a close() that never waits on a
// hanging request or a keep-alive socket, safe to call twice.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Loopback {
  url: string;
  port: number;
  /** Runs `fn` after `ms` (now when 0), unless the server closes first. */
  later(ms: number | undefined, fn: () => void): void;
  close(): Promise<void>;
}

export async function listenLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let closing: Promise<void> | undefined;
  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    later(ms, fn) {
      if (!ms) return fn();
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
    close() {
      // Idempotent: a test may close early (to cut a hang) and again in afterEach.
      closing ??= new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        server.close((err) => (err ? reject(err) : resolve()));
        // Hanging requests and keep-alive sockets would otherwise hold close() open.
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
