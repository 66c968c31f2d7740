// Runs embedded PostgreSQL (PGlite with pgvector) off the main thread and serves it over the
// PostgreSQL wire protocol on 127.0.0.1, so the main thread uses the ordinary pg driver and
// PGlite's WASM engine never blocks the host's event loop. Plain JavaScript on purpose: a
// worker file must run as-is from the source tree, the built package and jiti alike.
//
// The server is ours rather than pglite-socket's PGLiteSocketServer (0.0.20): that one hands
// each TCP chunk to PGlite as it arrives, so any message over one chunk (64 KB: a batch insert
// of embeddings) reaches PGlite cut in two and the connection dies. Here bytes are buffered
// until whole protocol messages are in, and each batch runs after the previous one finished.
// PGlite itself trusts every client, so the server asks for a password made for this start:
// other local users can reach 127.0.0.1 too.
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** @type {{ dataDir: string, password: string }} */
const { dataDir, password } = workerData;
/** @type {PGlite | undefined} */
let db;
/** @type {import('node:net').Server | undefined} */
let server;
/** @type {import('node:net').Socket[]} */
const waiting = [];
/** @type {import('node:net').Socket | undefined} */
let active;

/** Tells the main thread something; a worker port takes no target origin, unlike a window. */
function send(message) {
  // oxlint-disable-next-line unicorn/require-post-message-target-origin
  parentPort?.postMessage(message);
}

// AuthenticationCleartextPassword: the client answers with the per-start password.
const ASK_PASSWORD = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);

/**
 * Length of the first message in `buffer` if it is complete. Startup-phase messages are
 * `int32 length, payload`; later ones `byte type, int32 length, payload`.
 * @param {Buffer} buffer
 * @param {boolean} typed
 */
function messageLength(buffer, typed) {
  if (buffer.length < (typed ? 5 : 4)) return undefined;
  const length = typed ? 1 + buffer.readInt32BE(1) : buffer.readInt32BE(0);
  return buffer.length >= length ? length : undefined;
}

/** A FATAL ErrorResponse. */
function fatal(code, message) {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const out = Buffer.alloc(5 + fields.length);
  out.write('E', 0);
  out.writeInt32BE(4 + fields.length, 1);
  fields.copy(out, 5);
  return out;
}

/** Whether a PasswordMessage carries this start's password (compared in constant time). */
function passwordMatches(message) {
  if (message[0] !== 0x70) return false;
  const given = message.subarray(5, message.length - 1);
  const expected = Buffer.from(password, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Serves one client until it disconnects; PGlite has a single session, so one at a time.
 * Phases: `startup` (answer SSL requests with 'N', keep the startup message), `password`
 * (ask for it; anything else but the right one ends the connection), `ready` (relay).
 */
function serve(socket) {
  active = socket;
  let phase = 'startup';
  /** @type {Buffer | undefined} */
  let startup;
  let pending = Buffer.alloc(0);
  let chain = Promise.resolve();
  const relay = (messages) => {
    chain = chain
      .then(async () => {
        const reply = await db.execProtocolRaw(new Uint8Array(messages.buffer, messages.byteOffset, messages.byteLength));
        if (reply.length > 0 && socket.writable) socket.write(reply);
      })
      .catch((error) => socket.destroy(error instanceof Error ? error : new Error(String(error))));
  };
  socket.on('data', (chunk) => {
    if (phase === 'closed') return;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (phase !== 'ready') {
      const length = messageLength(pending, phase === 'password');
      if (length === undefined) return;
      const message = pending.subarray(0, length);
      pending = pending.subarray(length);
      if (phase === 'startup') {
        const code = length >= 8 ? message.readInt32BE(4) : 0;
        if (code === CANCEL_REQUEST) return void socket.destroy();
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write('N');
          continue;
        }
        startup = Buffer.from(message);
        phase = 'password';
        socket.write(ASK_PASSWORD);
      } else if (passwordMatches(message) && startup) {
        phase = 'ready';
        relay(startup);
      } else {
        phase = 'closed';
        return void socket.end(fatal('28P01', 'password authentication failed: this embedded database belongs to another llm-bawt process'));
      }
    }
    // Only whole messages go to PGlite: a statement may span many TCP chunks.
    let end = 0;
    for (let length; (length = messageLength(pending.subarray(end), true)) !== undefined; ) end += length;
    if (end === 0) return;
    relay(pending.subarray(0, end));
    pending = pending.subarray(end);
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    // The next client must not inherit this one's transaction or locks: PGlite has one session.
    void chain
      .then(() => (phase === 'ready' ? db?.exec('ROLLBACK; SELECT pg_advisory_unlock_all()') : undefined))
      .catch(() => undefined)
      .finally(() => {
        active = undefined;
        const next = waiting.shift();
        if (next) serve(next);
      });
  });
}

async function start() {
  db = await PGlite.create(dataDir, { extensions: { vector } });
  server = createServer((socket) => {
    socket.setNoDelay(true);
    if (active) waiting.push(socket);
    else serve(socket);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
}

async function stop() {
  try {
    for (const socket of [active, ...waiting]) socket?.destroy();
    await new Promise((resolve) => (server ? server.close(() => resolve(undefined)) : resolve(undefined)));
    await db?.close();
    send({ type: 'stopped' });
  } catch (error) {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  parentPort?.close();
}

parentPort?.on('message', (message) => {
  if (message?.type === 'stop') void stop();
});

start().catch((error) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
});
