// @ts-check
// The embedded database's front door: a Postgres wire-protocol listener on 127.0.0.1 that
// asks every connection for the data directory's password before it reaches PGlite.
//
// @electric-sql/pglite-socket 0.2.11 has no authentication at all: whoever reaches its
// port gets a superuser session. So PGlite's own socket server listens on a Unix socket in
// a directory only this OS user may enter (0700), and this front performs the startup
// handshake itself (AuthenticationCleartextPassword over loopback), then hands the
// connection through to that socket, replaying the client's startup message. PGlite then
// answers AuthenticationOk as if it had checked the password itself.
import net from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;
/** A client that has not authenticated in this time is dropped. */
const HANDSHAKE_MS = 10_000;

const digest = (/** @type {string | Buffer} */ s) => createHash('sha256').update(s).digest();

/** @param {string} code @param {string} message */
function errorResponse(code, message) {
  const fields = Buffer.concat([
    Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, 'utf8'),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/**
 * Starts the front and resolves with its port.
 * @param {{ host: string, innerPath: string, password: string }} options
 * @returns {Promise<net.Server>}
 */
export function startAuthFront({ host, innerPath, password }) {
  const expected = digest(password);
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    /** @type {Buffer | undefined} */
    let startup;
    const timer = setTimeout(() => socket.destroy(), HANDSHAKE_MS);
    const refuse = (/** @type {string} */ code, /** @type {string} */ message) => {
      clearTimeout(timer);
      socket.end(errorResponse(code, message));
    };
    const onData = (/** @type {Buffer} */ chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > 16 * 1024) return refuse('08P01', 'startup too long');
      while (!startup) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (len < 8 || len > 10_000) return refuse('08P01', 'invalid startup packet');
        if (buf.length < len) return;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write('N'); // no TLS on loopback; the client goes on in plain text
          buf = buf.subarray(len);
          continue;
        }
        if (code === CANCEL_REQUEST) {
          clearTimeout(timer);
          socket.destroy();
          return;
        }
        if (code !== PROTOCOL_3) return refuse('0A000', 'unsupported frontend protocol');
        startup = buf.subarray(0, len);
        buf = buf.subarray(len);
        // AuthenticationCleartextPassword
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
      }
      // The PasswordMessage: 'p', length, password, NUL.
      if (buf.length < 5) return;
      if (buf[0] !== 0x70) return refuse('28000', 'password authentication required');
      const len = buf.readInt32BE(1);
      if (len < 5 || len > 1024) return refuse('08P01', 'invalid password message');
      if (buf.length < 1 + len) return;
      const given = buf.subarray(5, len); // without the trailing NUL
      const rest = buf.subarray(1 + len);
      if (!timingSafeEqual(digest(given), expected)) {
        return refuse('28P01', 'password authentication failed for the embedded database');
      }
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      const inner = net.connect(innerPath, () => {
        inner.setNoDelay?.(true);
        inner.write(startup);
        if (rest.length) inner.write(rest);
        socket.pipe(inner);
        inner.pipe(socket);
        socket.resume();
      });
      inner.on('error', () => socket.destroy());
      socket.on('error', () => inner.destroy());
      socket.on('close', () => inner.destroy());
      inner.on('close', () => socket.destroy());
    };
    socket.on('data', onData);
    socket.on('error', () => clearTimeout(timer));
    socket.on('close', () => clearTimeout(timer));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}
