// Child process: the load generator. It gets a process of its own so that the fake Whop and Slack (busy with the
// work ours does after each ack) cannot delay it reading the acks: the latency measured is the app's.
//   closed loop: autocannon, each connection sending its next request as soon as the last one is acked;
//   paced: one request every 1/rate s over a keep-alive pool, whatever the answers take (autocannon's own rate
//          option sends each second's requests in one burst at the start of the second, which is not what a
//          workspace's clicks look like).
//
// Connections: Node 20 (libuv ≥ 1.45, libuv#3696) accepts one connection per event-loop turn. autocannon opens all
// its connections at the start and times each first request from before it is accepted, so against a busy app
// the first requests measured accepting (seconds, for ours) and most of a "200 connections" run went by with
// fewer. Unless a case asks for fresh connections, requests therefore go through a relay here whose connections
// to the app have each had a request answered: every connection is accepted before the clock starts, busy app or not.
import { Agent, request as httpRequest } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { percentile, signedHeaders } from './setup';

export interface LoadRequest {
  url: string;
  connections: number;
  /** Paced: requests per second, evenly spaced. Unset: closed loop with autocannon. */
  ratePerSecond?: number;
  /** Connect to the app as the run starts, instead of through connections it accepted beforehand. */
  fresh?: boolean;
  /** One body per request, sent in this order. */
  bodies: string[];
  /** Answer each latency too (`samplesMs`), for a caller that pools runs. */
  keepSamples?: boolean;
}

export interface LatencySummary {
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Slowest first request of a connection: with fresh connections, what waiting to be accepted costs. */
  firstRequestMaxMs: number;
  durationMs: number;
  requestsPerSecond: number;
  /** This process's event-loop delay during the run: if high, the generator itself lagged. */
  loadGenLoopP99Ms: number;
  /** Each answered request's latency, in the order sent, when asked for (`keepSamples`). */
  samplesMs?: number[];
}

interface Sample {
  ms: number;
  /** The first request on its connection. */
  first: boolean;
}

/** lastAt: when the last answer arrived (autocannon itself only stops on its next one-second tick). */
type Outcome = { samples: Sample[]; non2xx: number; errors: number; timeouts: number; lastAt: number };

/** The socket, once the app has answered one GET /healthz on it (any answer will do), paused for the relay. */
function answered(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = seen.slice(0, end);
      const length = /content-length: *(\d+)/i.exec(head)?.[1];
      const done = length !== undefined ? seen.length - end - 4 >= Number(length) : !/transfer-encoding: *chunked/i.test(head) || seen.endsWith('0\r\n\r\n');
      if (!done) return;
      socket.off('data', onData);
      socket.off('error', reject);
      socket.pause();
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write('GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n');
  });
}

/** Opens `count` connections to the app now and pairs each connection made to the relay with one of them. */
async function startRelay(target: URL, count: number): Promise<{ url: string; close(): void }> {
  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(Number(target.port), target.hostname, () => resolve(socket));
      socket.once('error', reject);
    });
  // Open is not accepted: the kernel completes the handshake, and the app accepts one connection per event-loop
  // turn, which on a busy app can take seconds. A request answered on each proves it was accepted. That request
  // starts the app's keep-alive timeout, so a spare the app closes while it waits is replaced by a new one.
  const all = new Set<Socket>();
  const spare: Socket[] = [];
  let closed = false;
  const keepSpare = async (): Promise<void> => {
    const up = await answered(await open());
    all.add(up);
    spare.push(up);
    up.once('close', () => {
      all.delete(up);
      const i = spare.indexOf(up);
      if (i >= 0 && !closed) {
        spare.splice(i, 1);
        keepSpare().catch(() => {});
      }
    });
  };
  await Promise.all(Array.from({ length: count }, keepSpare));
  const relay: Server = createServer((downstream) => {
    const up = spare.pop();
    if (!up) return void downstream.destroy();
    for (const s of [up, downstream]) s.setNoDelay(true);
    downstream.pipe(up);
    up.pipe(downstream);
    downstream.on('close', () => up.destroy());
    up.on('close', () => downstream.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    close: () => {
      closed = true;
      relay.close();
      for (const s of all) s.destroy();
    },
  };
}

function closedLoop(url: string, { connections, bodies }: LoadRequest): Promise<Outcome> {
  const samples: Sample[] = [];
  let non2xx = 0;
  let next = 0;
  let lastAt = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections,
        amount: bodies.length,
        timeout: 10,
        requests: [
          {
            // Signed as each request leaves, exactly as Slack signs: the timestamp is part of the signature.
            setupRequest: (request) => {
              const body = bodies[next++ % bodies.length]!;
              return { ...request, method: 'POST', body, headers: { ...signedHeaders(body) } };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ samples, non2xx, errors: result.errors, timeouts: result.timeouts, lastAt })),
    );
    // autocannon's own histogram keeps whole milliseconds; acks take a few, so keep the exact times.
    instance.on('response', (client, status, _bytes, responseTime) => {
      lastAt = performance.now();
      if (status < 200 || status >= 300) return void (non2xx += 1);
      // reqsMade counts the requests sent on this connection, this one included.
      samples.push({ ms: responseTime, first: (client as unknown as { reqsMade: number }).reqsMade === 1 });
    });
  });
}

async function paced(url: string, { connections, ratePerSecond, bodies }: LoadRequest): Promise<Outcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const samples: Sample[] = [];
  let non2xx = 0;
  let errors = 0;
  const send = (body: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = httpRequest(url, { method: 'POST', agent, headers: signedHeaders(body), timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode! >= 200 && res.statusCode! < 300) samples.push({ ms: performance.now() - started, first: !req.reusedSocket });
          else non2xx += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const interval = 1000 / ratePerSecond!;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const [i, body] of bodies.entries()) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(send(body));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { samples, non2xx, errors, timeouts: 0, lastAt: performance.now() };
}

async function load(request: LoadRequest, url: string): Promise<LatencySummary> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const { samples, non2xx, errors, timeouts, lastAt } = await (request.ratePerSecond ? paced(url, request) : closedLoop(url, request));
  const durationMs = lastAt - started;
  loop.disable();
  const all = samples.map((s) => s.ms);
  return {
    requests: samples.length + non2xx,
    non2xx,
    errors,
    timeouts,
    p50Ms: percentile(all, 0.5),
    p90Ms: percentile(all, 0.9),
    p99Ms: percentile(all, 0.99),
    maxMs: all.reduce((a, b) => Math.max(a, b), 0),
    firstRequestMaxMs: samples.filter((s) => s.first).reduce((a, s) => Math.max(a, s.ms), 0),
    durationMs,
    requestsPerSecond: ((samples.length + non2xx) / durationMs) * 1000,
    loadGenLoopP99Ms: loop.percentile(99) / 1e6,
    ...(request.keepSamples ? { samplesMs: all } : {}),
  };
}

let prepared: { request: LoadRequest; url: string; close(): void } | undefined;

// Two steps: copying the bodies over IPC and opening the connections happen before the run, not during it.
process.on('message', (message: { type: string } & LoadRequest) => {
  const fail = (error: unknown) => process.send!({ type: 'error', message: String(error) });
  if (message.type === 'prepare') {
    const relay = message.fresh ? Promise.resolve({ url: message.url, close: () => {} }) : startRelay(new URL(message.url), message.connections);
    relay.then((r) => {
      prepared = { request: message, ...r };
      process.send!({ type: 'prepared' });
    }, fail);
  } else if (message.type === 'load') {
    const { request, url, close } = prepared!;
    load(request, url)
      .finally(close)
      .then((summary) => process.send!({ type: 'result', summary }), fail);
  } else if (message.type === 'stop') {
    process.send!({ type: 'stopped' }, () => process.exit(0));
  }
});
process.send!({ type: 'ready' });
