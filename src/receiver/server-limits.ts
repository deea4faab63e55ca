import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HTTPModuleFunctions } from '@slack/bolt';
import type { Logger } from '../logger';

/**
 * Slack waits 3 s for an answer, counted from when it sends, and its requests are small and sent at once.
 * Headers still missing after 3 s belong to no request Slack is waiting for (Node's default: 60 s).
 */
const HEADERS_TIMEOUT_MS = 3_000;
/** The whole request, body included: Slack's largest (about 0.5 MB) arrives in well under a second (default: 300 s). */
const REQUEST_TIMEOUT_MS = 5_000;
/** How often Node looks for requests past those timeouts; its default of 30 s would let one live ten times as long. */
const TIMEOUT_CHECK_INTERVAL_MS = 500;
/** An idle kept-alive connection: long enough for a burst of clicks on one digest to share it (Node's default). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Slack holds a handful of connections to an app at once. 500 is ample room for bursts, bounds what strangers
 * can hold (with signed-requests.ts, about 47 MiB of bodies at most), and stays below the 1,024 open files a
 * process usually gets, leaving some for the database and the connections to Whop and Slack.
 */
const MAX_CONNECTIONS = 500;
/** A refused connection is logged at most this often: a flood of them must not become a flood of log lines. */
const DROP_LOG_INTERVAL_MS = 10_000;

/** For `app.start(listen, HTTP_SERVER_OPTIONS)`: some of these can only be given when the server is created. */
export const HTTP_SERVER_OPTIONS: ServerOptions = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
};

export interface ServerConnections {
  /**
   * Closes at once every connection that is idle, still sending its request, or sending one that is not
   * verified; a verified request still being answered keeps its connection until the answer is sent.
   * Call it right before the server is closed: Node's own close waits for every connection to end, and stops
   * enforcing the timeouts above while it waits.
   */
  closeAll(): void;
}

/** Caps the server's connections and keeps track of them, so that stopping does not wait for strangers. */
export function limitConnections(server: Server, log: Logger): ServerConnections {
  server.maxConnections = MAX_CONNECTIONS;
  let dropsSinceLog = 0;
  let lastDropLog = 0;
  server.on('drop', () => {
    dropsSinceLog += 1;
    if (Date.now() - lastDropLog < DROP_LOG_INTERVAL_MS) return;
    log.warn({ refused: dropsSinceLog, maxConnections: MAX_CONNECTIONS }, 'connections refused: too many open');
    dropsSinceLog = 0;
    lastDropLog = Date.now();
  });

  const open = new Set<Socket>();
  const answering = new Map<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      answering.delete(socket);
    });
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    answering.set(req.socket, { req, res });
    res.once('close', () => {
      if (answering.get(req.socket)?.res === res) answering.delete(req.socket);
    });
  });

  return {
    closeAll() {
      for (const socket of open) {
        const current = answering.get(socket);
        // signed-requests.ts sets rawBody only on a request whose signature it verified.
        if (current && HTTPModuleFunctions.isBufferedIncomingMessage(current.req) && !current.res.writableFinished) {
          if (!current.res.headersSent) current.res.setHeader('Connection', 'close');
          current.res.once('finish', () => socket.destroySoon());
        } else {
          socket.destroy();
        }
      }
    },
  };
}
