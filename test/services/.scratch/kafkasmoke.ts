import { startKafka } from '../../../services/kafka';
const t0 = Date.now();
const k = await startKafka({ dataDir: '/tmp/kastor-kafka-smoke', onProgress: (m) => console.log(`[kafka +${Date.now()-t0}ms]`, m) });
console.log(k.brokers, Date.now() - t0, 'ms');
const t1 = Date.now();
await k.stop(); await k.stop();
console.log('stopped in', Date.now() - t1, 'ms');
