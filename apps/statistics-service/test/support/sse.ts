import http from 'node:http';

/** Reads an SSE stream over real HTTP for `ms` milliseconds; returns its status, content type and text. */
export function readStream(url: string, ms: number, onFirstData?: () => void): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text === '') onFirstData?.(); // signals the first chunk once (helper, not a skipped test)
        text += chunk;
      });
      const done = () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text });
      res.on('close', done);
      setTimeout(() => {
        req.destroy();
        done();
      }, ms).unref();
    });
    req.on('error', reject);
  });
}

/** The events of an SSE text: each with its fields (event, id, retry, data) and comment lines. */
export function parseEvents(text: string): { event?: string; retry?: string; data?: string; comments: string[] }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const out: { event?: string; retry?: string; data?: string; comments: string[] } = { comments: [] };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) out.comments.push(line.slice(1).trim());
        else if (line.startsWith('event: ')) out.event = line.slice(7);
        else if (line.startsWith('retry: ')) out.retry = line.slice(7);
        else if (line.startsWith('data: ')) out.data = line.slice(6);
      }
      return out;
    });
}

/** The data of the last `heartbeat` event of a stream read for `ms` milliseconds (undefined: none arrived). */
export async function lastHeartbeat<T = Record<string, unknown>>(url: string, ms: number): Promise<T | undefined> {
  const beats = parseEvents((await readStream(url, ms)).text).filter((e) => e.event === 'heartbeat');
  const last = beats[beats.length - 1];
  return last?.data === undefined ? undefined : (JSON.parse(last.data) as T);
}
