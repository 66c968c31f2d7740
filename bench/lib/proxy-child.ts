// The floor: a bare Node HTTP proxy hop in front of the upstream, with keep-alive and
// streamed bodies, and nothing else.
import { Agent, createServer, request } from 'node:http';

const target = new URL(process.env.PROXY_TARGET ?? '');
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const server = createServer((req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
  res.on('close', () => upstream.destroy());
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ ready: true, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
