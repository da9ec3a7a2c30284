// The staging stand-in's one service for the game-day tests: counts what it serves. Env: PORT.
import http from 'node:http';
import { Counter, Registry } from 'prom-client';

const registry = new Registry();
const served = new Counter({ name: 'gameday_requests_total', help: 'Requests served', registers: [registry] });

http
  .createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    served.inc();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
