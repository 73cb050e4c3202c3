import { startPostgres, createDatabase } from '../../../services/postgres';
const t0 = Date.now();
const pgs = await startPostgres({ dataDir: '/tmp/kastor-pg-smoke/pg', onProgress: (m) => console.log('[pg]', m) });
console.log(pgs.url, Date.now() - t0, 'ms');
console.log(await createDatabase(pgs.url, 'copy1', { template: 'kastor' }).catch(e => String(e)));
await pgs.stop(); await pgs.stop();
console.log('stopped', Date.now() - t0);
