import { setFlagsFromString } from 'node:v8';

/**
 * WebAssembly compiled by V8's baseline compiler (Liftoff) only, never again by its optimising
 * one. The worker's only WebAssembly is Prisma's query compiler (a 3.4 MB module); its optimised
 * code was the largest single part of an idle worker's memory: a worker that had made 200 control-plane
 * queries held 195–208 MB against 141–143 MB with this, and the queries took no longer
 * (112–118 ms against 121–138 ms for the 200; measured back to back on the same database). Set
 * when the worker starts, before the query compiler is loaded: V8 reads it when it compiles a
 * module. Imported first by worker/main.ts.
 */
setFlagsFromString('--liftoff-only');
