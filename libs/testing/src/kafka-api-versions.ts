import net from 'node:net';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/**
 * Sends a raw ApiVersions v0 request to a broker and returns the API ranges it serves. Used to prove the
 * broker under test is a real Apache Kafka 4.x (4.0 removed Produce v0–v2, KIP-896) and not a stand-in.
 */
export function fetchApiVersions(host: string, port: number, timeoutMs = 5000): Promise<ApiVersionRange[]> {
  return new Promise((resolve, reject) => {
    const clientId = Buffer.from('onestop-smoke');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    let o = 0;
    o = body.writeInt16BE(18, o); // api key ApiVersions
    o = body.writeInt16BE(0, o); // api version 0
    o = body.writeInt32BE(1, o); // correlation id
    o = body.writeInt16BE(clientId.length, o);
    clientId.copy(body, o);
    const frame = Buffer.alloc(4 + body.length);
    frame.writeInt32BE(body.length, 0);
    body.copy(frame, 4);

    const socket = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ApiVersions answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const size = buf.readInt32BE(0);
      if (buf.length < 4 + size) return;
      clearTimeout(timer);
      socket.destroy();
      let p = 4 + 4; // size, correlation id
      const errorCode = buf.readInt16BE(p);
      p += 2;
      if (errorCode !== 0) return reject(new Error(`ApiVersions error code ${errorCode}`));
      const n = buf.readInt32BE(p);
      p += 4;
      const out: ApiVersionRange[] = [];
      for (let i = 0; i < n; i++) {
        out.push({ apiKey: buf.readInt16BE(p), minVersion: buf.readInt16BE(p + 2), maxVersion: buf.readInt16BE(p + 4) });
        p += 6;
      }
      resolve(out);
    });
  });
}
