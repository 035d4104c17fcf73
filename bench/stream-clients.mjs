// @ts-check
// The bench's SSE clients, in a worker thread of their own: `count` streams on GET /api/events
// over raw sockets, as a load tool holds them. Run on the server's thread, 200 or 5,000 clients
// would parse every event there; through node:http here, its parser's ~40 µs a chunk would
// still queue the arrivals of one event behind each other on this thread. So a chunk's arrival
// is timed as it comes off the socket, before it is decoded (HTTP/1.1 chunked encoding, one
// chunk per message as the server writes them). Plain JavaScript: a worker thread does not
// inherit the TypeScript loader.
//
// Messages in: { type: 'collect' } → { type: 'arrivals', arrivals: [[eventId, [ms, …]], …] };
// { type: 'close' } ends the streams and the thread. Out: { type: 'ready' } once every stream
// has its `ready` event, { type: 'error', message } if one fails. Times are
// process.hrtime in milliseconds: one monotonic clock for every thread of the process, so the
// main thread can subtract the moment it sent a filing.
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string, cookie: string, count: number }} */
const { url, cookie, count } = workerData;
if (!parentPort) throw new Error('stream-clients must run in a worker thread');
const port = parentPort;
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** @type {Map<number, number[]>} */
const arrivals = new Map();
/** @type {net.Socket[]} */
const sockets = [];
const { hostname, port: serverPort } = new URL(url);

/** @returns {Promise<void>} */
function open() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(serverPort), hostname);
    socket.setNoDelay(true);
    sockets.push(socket);
    let raw = Buffer.alloc(0);
    let head = true;
    let text = '';
    socket.on('connect', () => socket.write(`GET /api/events HTTP/1.1\r\nHost: ${hostname}:${serverPort}\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`));
    socket.on('error', reject);
    socket.on('data', (/** @type {Buffer} */ data) => {
      const at = now();
      raw = raw.length ? Buffer.concat([raw, data]) : data;
      if (head) {
        const end = raw.indexOf('\r\n\r\n');
        if (end < 0) return;
        const h = raw.subarray(0, end).toString('latin1');
        if (!h.startsWith('HTTP/1.1 200') || !/\r\ntransfer-encoding: *chunked/i.test(h)) return reject(new Error(`GET /api/events: ${h.split('\r\n')[0]}`));
        raw = raw.subarray(end + 4);
        head = false;
      }
      // Whole chunks only: "<size in hex>\r\n<bytes>\r\n".
      for (;;) {
        const line = raw.indexOf('\r\n');
        if (line < 0) break;
        const size = parseInt(raw.subarray(0, line).toString('latin1'), 16);
        if (raw.length < line + 2 + size + 2) break;
        text += raw.subarray(line + 2, line + 2 + size).toString('utf8');
        raw = raw.subarray(line + 4 + size);
      }
      let i;
      while ((i = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, i);
        text = text.slice(i + 2);
        if (block.startsWith('event: ready')) resolve();
        else if (block.startsWith('event: case')) {
          const id = Number(/\nid: (\d+)/.exec(block)?.[1]);
          const list = arrivals.get(id);
          if (list) list.push(at);
          else arrivals.set(id, [at]);
        }
      }
    });
  });
}

port.on('message', (msg) => {
  if (msg?.type === 'collect') port.postMessage({ type: 'arrivals', arrivals: [...arrivals] });
  else if (msg?.type === 'close') {
    for (const s of sockets) s.destroy();
    port.close();
  }
});

// Opened 250 at a time, as a crowd of screens arriving, not 5,000 handshakes in one instant.
(async () => {
  for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: Math.min(250, count - i) }, open));
  port.postMessage({ type: 'ready' });
})().catch((err) => port.postMessage({ type: 'error', message: String(err?.message ?? err) }));
