import type http from 'node:http';
import type { Duplex } from 'node:stream';

/** What Node reports for a request it could not read, and what the client is told instead of a bare status. */
const ANSWERS: Record<string, { status: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: '431 Request Header Fields Too Large',
    message:
      'The request’s headers are larger than the limit of 16 kB. If this is a browser, clear this site’s cookies and try again; otherwise send fewer or shorter headers.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: '408 Request Timeout',
    message: 'The request did not arrive in time. Try again.',
  },
};

const NOT_HTTP = {
  status: '400 Bad Request',
  message: 'The request could not be read as HTTP/1.1.',
};

/**
 * Answers a request Node refuses before the app sees it (headers over the limit, a malformed request line,
 * a request that never finished) with a plain-text message saying what was wrong, in place of Node's bare
 * status line, then closes the connection.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // The response the app is writing on this connection, if any (Node's own handler looks at it too).
    const inProgress = (socket as { _httpMessage?: http.ServerResponse })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, message } = ANSWERS[err.code ?? ''] ?? NOT_HTTP;
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
