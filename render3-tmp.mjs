import { Registry, collectDefaultMetrics } from 'prom-client';
const r = new Registry();
collectDefaultMetrics({ register: r, eventLoopMonitoringPrecision: 100 });
const acc = new Map(); let ser = 0n;
await new Promise((res) => setTimeout(res, 1000));
const t = setInterval(async () => { for (const m of r.getMetricsAsArray()) { const t0 = process.hrtime.bigint(); await m.get(); acc.set(m.name, (acc.get(m.name) ?? 0n) + process.hrtime.bigint() - t0); } const t1 = process.hrtime.bigint(); await r.metrics(); ser += process.hrtime.bigint() - t1; }, 250);
await new Promise((res) => setTimeout(res, 10000)); clearInterval(t);
for (const [k, v] of [...acc].sort((a, b) => Number(b[1] - a[1])).slice(0, 10)) console.log(k, (Number(v) / 40 / 1000).toFixed(0), 'us per get');
console.log('full metrics()', (Number(ser) / 40 / 1000).toFixed(0), 'us');
