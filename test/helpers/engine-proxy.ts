import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_SOCKET } from '../../src/engine/address.js';

/** What the proxy does with one call: pass it to the engine, hold it unanswered, answer for the engine, or cut the connection. */
export type ProxyAction = 'forward' | 'stall' | 'cut' | { status: number; message: string };

/** A call as the proxy saw it, the version prefix left out: `POST /containers/create`. */
export interface ProxiedCall {
  method: string;
  path: string;
}

export interface EngineProxy {
  /** tcp://127.0.0.1:<port>, for DOCKER_HOST. */
  url: string;
  /** Every call received, in order. */
  calls: ProxiedCall[];
  /** Decides the fate of each call; replace it at any time. */
  rule: (call: ProxiedCall) => ProxyAction;
  /** Resolves once a call matching `predicate` has arrived. */
  seen(predicate: (call: ProxiedCall) => boolean): Promise<ProxiedCall>;
  /** Stops listening (later connections are refused) and cuts every open connection. */
  goAway(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the test engine's socket, to play a faulty engine:
 * one that accepts and never answers, fails a call the way a stopping dockerd does, or vanishes.
 */
export async function startEngineProxy(socketPath = DEFAULT_SOCKET): Promise<EngineProxy> {
  const sockets = new Set<Socket>();
  const waiters: { predicate: (call: ProxiedCall) => boolean; resolve: (call: ProxiedCall) => void }[] = [];
  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const call = { method: incoming.method ?? 'GET', path: (incoming.url ?? '/').split('?')[0]!.replace(/^\/v\d+\.\d+/, '') };
    proxy.calls.push(call);
    for (const waiter of waiters.filter((w) => w.predicate(call))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(call);
    }
    const action = proxy.rule(call);
    if (action === 'stall') return;
    if (action === 'cut') return void incoming.socket.destroy();
    if (action !== 'forward') {
      outgoing.writeHead(action.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: action.message }));
      return;
    }
    const upstream = request({ socketPath, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  };
  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let closed: Promise<void> | undefined;
  const proxy: EngineProxy = {
    url: `tcp://127.0.0.1:${port}`,
    calls: [],
    rule: () => 'forward',
    seen: (predicate) => {
      const earlier = proxy.calls.find(predicate);
      return earlier ? Promise.resolve(earlier) : new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    goAway() {
      closed ??= new Promise((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
    close: () => proxy.goAway(),
  };
  return proxy;
}
