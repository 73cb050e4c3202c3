import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Runs every test (unit, engine, integration on real Postgres/Kafka/engine) and ends with the
 * line `tests: N passed, M failed`, counted from vitest's own JSON report.
 */
const root = path.resolve(import.meta.dirname, '..');
const reportFile = path.join(root, '.data/test-report.json');
await mkdir(path.dirname(reportFile), { recursive: true });
await rm(reportFile, { force: true });

const vitest = path.join(root, 'node_modules/.bin/vitest');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)];
const code: number = await new Promise((resolve) => {
  const child = spawn(vitest, args, { cwd: root, stdio: 'inherit' });
  child.on('exit', (status) => resolve(status ?? 1));
});

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTests: number;
  numFailedTestSuites: number;
}
let report: Report | null = null;
try {
  report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
} catch {
  report = null;
}
if (!report) {
  console.log('tests: 0 passed, 1 failed');
  console.error('vitest produced no report (it crashed before running the tests)');
  process.exit(code || 1);
}
// A file that fails to load counts as a failure even though none of its tests ran.
const failed = report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
console.log(`tests: ${report.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || report.numTotalTests === 0 ? 1 : code);
