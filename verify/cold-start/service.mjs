// Its first COLD_REQUESTS requests take COLD_SECONDS each (a pool still opening its connections),
// then every request takes a few milliseconds. Env: PORT.
import http from 'node:http';
import { Histogram, Registry } from 'prom-client';

const COLD_REQUESTS = 30;
const COLD_SECONDS = 1.2;

const registry = new Registry();
const latency = new Histogram({ name: 'api_request_seconds', help: 'Request latency', buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5], registers: [registry] });
latency.zero({});
let served = 0;

http
  .createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    const end = latency.startTimer();
    const cold = served++ < COLD_REQUESTS;
    await new Promise((resolve) => setTimeout(resolve, cold ? COLD_SECONDS * 1000 : 2));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    end();
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
