// HTTP by hand over a bare TCP socket, for what fetch cannot do: send the headers and hold the body back,
// trickle a body, see the answer while still sending, and see when the server closes the connection.
import { connect, type Socket } from 'node:net';

export interface RawRequest {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** The status of the server's answer, once its first line has arrived. */
  status(): number | undefined;
  /** Resolves once the server has closed the connection (or reset it). */
  closed: Promise<void>;
  isClosed(): boolean;
}

/**
 * Opens a connection to 127.0.0.1 and sends a request line and headers; the body is the caller's to write.
 * With `unfinished`, the blank line that ends the headers is held back: the request is still sending them.
 */
export function openRequest(port: number, headers: Record<string, string>, opts: { unfinished?: boolean } = {}): Promise<RawRequest> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let isClosed = false;
    const closed = new Promise<void>((done) =>
      socket.once('close', () => {
        isClosed = true;
        done();
      }),
    );
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    let connected = false;
    socket.on('error', (err) => {
      // A reset after connecting is the server closing the connection: `closed` tells it.
      if (!connected) reject(err);
    });
    socket.once('connect', () => {
      connected = true;
      const head = Object.entries({ Host: `127.0.0.1:${port}`, ...headers })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`POST /slack/events HTTP/1.1\r\n${head}${opts.unfinished ? '' : '\r\n'}`);
      resolve({
        socket,
        received: () => text,
        status: () => {
          const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
          return match ? Number(match[1]) : undefined;
        },
        closed,
        isClosed: () => isClosed,
      });
    });
  });
}

/** Writes one chunk unless the connection is gone; resolves once the socket took it (or could not). */
export function writeChunk(request: RawRequest, chunk: Buffer | string): Promise<void> {
  if (request.isClosed() || request.socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    request.socket.write(chunk, () => resolve());
  });
}
