// Slack's Socket Mode, as the real SocketModeClient meets it: apps.connections.open hands out a
// WebSocket URL; the server says hello, pushes envelopes, and the app acks each by envelope_id.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { APP_ID } from './test-workspace';

export type EnvelopeType = 'interactive' | 'slash_commands' | 'events_api';

export class FakeSocketMode {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (ack: unknown) => void>();
  private readonly waiting: Array<() => void> = [];

  constructor(
    server: Server,
    private readonly wsOrigin: string,
    readonly appToken: string,
  ) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!req.url?.startsWith('/link')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** The answer to apps.connections.open, which only an app-level token may call. */
  open(token: string | undefined): { ok: boolean; url?: string; error?: string } {
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    return { ok: true, url: `${this.wsOrigin}/link/?ticket=${randomUUID()}&app_id=${APP_ID}` };
  }

  /** Resolves once an app is connected and has been greeted. */
  connected(): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Pushes one envelope and resolves with the app's ack and how long it took. */
  deliver(type: EnvelopeType, payload: unknown): Promise<{ ack: unknown; ms: number }> {
    const [socket] = this.sockets;
    if (!socket) throw new Error('no Socket Mode connection');
    const envelopeId = randomUUID();
    const started = performance.now();
    const acked = new Promise<{ ack: unknown; ms: number }>((resolve) => this.acks.set(envelopeId, (ack) => resolve({ ack, ms: performance.now() - started })));
    socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    return acked;
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string };
      if (message.envelope_id) this.acks.get(message.envelope_id)?.(message);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: APP_ID } }));
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
