import { installKafkajsFastPaths } from '../lib/kafka/record-decoder';

// Imported first by worker/main.ts: kafkajs's consumer keeps the Batch class it was loaded with,
// so the batch filter is installed before anything imports kafkajs.
const installed = installKafkajsFastPaths();
if (!installed.batchFilter || !installed.recordBatches) console.error(`kafkajs was loaded before its fast paths: ${JSON.stringify(installed)}`);
