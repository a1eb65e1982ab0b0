import { connect } from 'node:net';

/** What came back on a raw socket: the status line's code, the content type, the body, and whether the server closed it. */
export interface RawHttpAnswer {
  status: number;
  contentType?: string;
  body: string;
  closed: boolean;
}

/**
 * Sends raw bytes (a request Node's HTTP parser may refuse: a 20 KB header, `BREW /x`) on one socket; resolves
 * with what came back once the server closed it (or after 5 s).
 */
export function rawHttpRequest(port: number, request: string): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    let settled = false;
    const done = (closed: boolean) => {
      if (settled) return; // settles once (helper, not a skipped test)
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const [head = '', ...body] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), contentType: /\r\ncontent-type: *([^\r]+)/i.exec(head)?.[1], body: body.join('\r\n\r\n'), closed });
    };
    const timer = setTimeout(() => done(false), 5000);
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('close', () => done(true));
    socket.on('error', (e) => (settled ? undefined : reject(e)));
  });
}
