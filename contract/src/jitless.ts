// Imported first by the browser client, before any schema is built: zod's JIT probes for eval
// with `new Function` when an object schema is constructed, and the client's Content-Security-Policy
// (no 'unsafe-eval', rightly) reports that probe as a violation on every page. Jitless parsing
// is a little slower and never evaluates code. The server keeps the JIT (no CSP applies there).
import { config } from 'zod';

config({ jitless: true });
