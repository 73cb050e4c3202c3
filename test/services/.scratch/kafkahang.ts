import { startKafka } from '../../../services/kafka';
const k = await startKafka({ dataDir: '/tmp/kastor-kafka-smoke' });
console.log('READY', k.brokers);
setInterval(() => {}, 1000);
