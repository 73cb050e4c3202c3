import { startPostgres } from '../../../services/postgres';
const pgs = await startPostgres({ dataDir: '/tmp/kastor-pg-smoke/pg', onProgress: (m) => console.log('[pg]', m) });
console.log('READY', pgs.port);
setInterval(() => {}, 1000);
