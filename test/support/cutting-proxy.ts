import net from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can cut a connection at the worst moment: after the server has
 * received a COMMIT and answered it, before the answer reaches the client. The change is then committed
 * but the client cannot know it, as when a network link or the database host fails mid-request.
 */
export interface CuttingProxy {
  url: string;
  /** Cut the next connection that sends COMMIT, once. */
  cutNextCommit(): void;
  /** How many COMMITs were cut so far. */
  cuts: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetUrl: string): Promise<CuttingProxy> {
  const target = new URL(targetUrl);
  let armed = false;
  const sockets = new Set<net.Socket>();
  const proxy: CuttingProxy = {
    url: '',
    cuts: 0,
    cutNextCommit: () => {
      armed = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let cutOnReply = false;
    client.on('data', (chunk: Buffer) => {
      // A simple-protocol Query message ('Q') carrying COMMIT: let it through, then cut on the reply.
      if (armed && chunk[0] === 0x51 && chunk.includes('COMMIT')) {
        armed = false;
        cutOnReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutOnReply) {
        proxy.cuts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  proxy.url = url.toString();
  return proxy;
}
