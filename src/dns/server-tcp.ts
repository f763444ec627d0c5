// DNS over TCP (RFC 1035 §4.2.2, RFC 7766): messages framed by a 2-octet length, any number of
// queries per connection, each answered as soon as its frame is complete (pipelining, RFC 7766
// §6.2.1.1), so answers from the zone come back in order and a forwarded query's answer when its
// upstream replies (out of order, as RFC 7766 §7 allows). A frame may arrive split over segments,
// and one segment may carry several frames.

import { createServer, type Server, type Socket } from 'node:net';

export interface TCPServerOptions {
  /**
   * The response to one message with its length prefix, or undefined for none, now or later;
   * never throws, and a later one never rejects.
   */
  readonly respond: (msg: Uint8Array) => Buffer | undefined | Promise<Buffer | undefined>;
  /** A connection without traffic for this long is closed (RFC 7766 §6.2.3). */
  readonly idleTimeoutMs: number;
  /**
   * A message must arrive whole within this long of its first octet, or the connection is
   * closed: a client trickling octets would otherwise hold a connection slot forever.
   */
  readonly messageTimeoutMs: number;
  /** Connections beyond this many are closed as they arrive. */
  readonly maxConnections: number;
}

export interface TCPServer {
  readonly server: Server;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

export function createTCPServer(options: TCPServerOptions): TCPServer {
  const connections = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, options);
  });
  server.maxConnections = options.maxConnections;
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

function serveConnection(socket: Socket, options: TCPServerOptions): void {
  socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
  // Resets and aborted connections are the client's business; the socket just goes away.
  socket.on('error', () => socket.destroy());
  socket.on('drain', () => socket.resume());
  const send = (response: Buffer | undefined) => {
    // A client that sends queries without reading answers stops being read until it catches up.
    if (response && socket.writable && !socket.write(response)) socket.pause();
  };
  const frames = new FrameReader((msg) => {
    const response = options.respond(msg);
    if (response instanceof Promise) void response.then(send);
    else send(response);
  });
  let slow: NodeJS.Timeout | undefined;
  socket.on('close', () => clearTimeout(slow));
  socket.on('data', (chunk: Buffer) => {
    const completed = frames.completed;
    frames.push(chunk);
    if (!frames.partial) {
      clearTimeout(slow);
      slow = undefined;
    } else if (slow === undefined || frames.completed !== completed) {
      clearTimeout(slow);
      slow = setTimeout(() => socket.destroy(), options.messageTimeoutMs);
    }
  });
}

/**
 * Splits a byte stream into length-prefixed frames. A frame wholly inside one chunk is handed
 * over without copying; a frame split across chunks is gathered in a buffer of its announced
 * size, so a client trickling octets costs linear work, never repeated concatenation.
 */
export class FrameReader {
  private readonly prefix = Buffer.alloc(2);
  private prefixLength = 0;
  private frame: Buffer | undefined;
  private filled = 0;
  /** Frames handed over so far. */
  completed = 0;

  constructor(private readonly onFrame: (msg: Buffer) => void) {}

  /** Whether a frame has begun but not ended. */
  get partial(): boolean {
    return this.frame !== undefined || this.prefixLength > 0;
  }

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.frame) {
        const n = Math.min(this.frame.length - this.filled, chunk.length - off);
        chunk.copy(this.frame, this.filled, off, off + n);
        this.filled += n;
        off += n;
        if (this.filled === this.frame.length) this.emit();
      } else if (this.prefixLength === 0 && chunk.length - off >= 2) {
        const length = chunk.readUInt16BE(off);
        off += 2;
        if (chunk.length - off >= length) {
          this.completed++;
          this.onFrame(chunk.subarray(off, off + length));
          off += length;
        } else {
          this.start(length);
        }
      } else {
        this.prefix[this.prefixLength++] = chunk[off++];
        if (this.prefixLength === 2) {
          this.prefixLength = 0;
          this.start(this.prefix.readUInt16BE(0));
        }
      }
    }
  }

  private start(length: number): void {
    this.frame = Buffer.allocUnsafe(length);
    this.filled = 0;
    if (length === 0) this.emit();
  }

  private emit(): void {
    const frame = this.frame as Buffer;
    this.frame = undefined;
    this.completed++;
    this.onFrame(frame);
  }
}
