// kafkajs's consumer keeps the modules it was loaded with, so its fast paths are installed before
// anything imports kafkajs, and the worker proper (which does) is imported only then. A dynamic
// import: in the bundle (scripts/build-worker.ts) static imports of packages are all hoisted
// above the bundle's own code, while this one stays a module of its own, loaded after.
import './runtime-flags';
import './install-kafkajs';

await import('./run-worker');
