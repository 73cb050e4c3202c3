import net from 'node:net';
import { createRequire } from 'node:module';
import { startKafka } from '../../../services/kafka';
const require = createRequire(import.meta.url);
const { requests } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys');

async function brokerApiVersions(host: string, port: number) {
  const clientId = Buffer.from('probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); body.writeInt16BE(0, 2); body.writeInt32BE(1, 4); body.writeInt16BE(clientId.length, 8); clientId.copy(body, 10);
  const size = Buffer.alloc(4); size.writeInt32BE(body.length);
  const socket = net.connect({ host, port });
  const chunks: Buffer[] = [];
  const data: Buffer = await new Promise((resolve, reject) => {
    socket.on('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (c) => { chunks.push(c); const all = Buffer.concat(chunks); if (all.length >= 4 && all.length >= 4 + all.readInt32BE(0)) resolve(all); });
    socket.on('error', reject);
  });
  socket.destroy();
  let o = 4 + 4; const err = data.readInt16BE(o); o += 2; const n = data.readInt32BE(o); o += 4;
  const out: Record<number, { min: number; max: number }> = {};
  for (let i = 0; i < n; i++) { out[data.readInt16BE(o)] = { min: data.readInt16BE(o + 2), max: data.readInt16BE(o + 4) }; o += 6; }
  return { err, out };
}
const k = await startKafka({ dataDir: '/tmp/kastor-kafka-smoke' });
try {
  const [host, port] = k.brokers[0].split(':');
  const { err, out } = await brokerApiVersions(host, Number(port));
  console.log('errorCode', err);
  for (const [name, key] of Object.entries(apiKeys) as [string, number][]) {
    const def = requests[name]; if (!def || !def.versions.length) continue;
    const impl = def.versions.map(Number); const v = out[key];
    const chosen = v ? Math.min(Math.max(...impl), v.max) : undefined;
    const ok = v && chosen! >= v.min;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(28)} kafkajs ${Math.min(...impl)}-${Math.max(...impl)}  broker ${v ? `${v.min}-${v.max}` : 'absent'}  -> v${chosen}`);
  }
} finally { await k.stop(); }
