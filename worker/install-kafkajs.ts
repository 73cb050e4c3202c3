import { installWorkerKafkajs } from './kafkajs-fast-paths';

// Imported first by worker/main.ts, so this runs before anything imports kafkajs.
const installed = installWorkerKafkajs();
if (!installed.batchFilter || !installed.recordBatches) console.error(`kafkajs was loaded before its fast paths: ${JSON.stringify(installed)}`);
