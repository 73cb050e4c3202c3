import 'server-only';
import { decompress as zstdDecompress } from 'fzstd';
import kafkajs from 'kafkajs';
// Pure JavaScript codecs (no native build): snappyjs and lz4js ship no type declarations.
// @ts-expect-error -- untyped module
import * as lz4 from 'lz4js';
// @ts-expect-error -- untyped module
import * as snappy from 'snappyjs';

/**
 * kafkajs reads only gzip and uncompressed batches; topics written with snappy, lz4 or zstd (by
 * producers, or by a topic's `compression.type`, which makes the broker recompress) fail with
 * "not implemented". These codecs let every connector, sample and topic browser read them.
 * Kastor's own producers (dead-letter topics) do not compress with zstd, so it only decompresses.
 */

// kafkajs is CommonJS and Node's ESM loader does not see these two among its named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/** The Java client frames snappy in the xerial format: a magic header, then length-prefixed chunks. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

function snappyDecompress(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return Buffer.from(snappy.uncompress(buffer) as Uint8Array);
  }
  const chunks: Buffer[] = [];
  for (let at = XERIAL_HEADER_BYTES; at < buffer.length; ) {
    const size = buffer.readUInt32BE(at);
    at += 4;
    chunks.push(Buffer.from(snappy.uncompress(buffer.subarray(at, at + size)) as Uint8Array));
    at += size;
  }
  return Buffer.concat(chunks);
}

interface Encoder {
  buffer: Buffer;
}

const codecs = {
  [CompressionTypes.Snappy]: () => ({
    compress: async (encoder: Encoder) => Buffer.from(snappy.compress(encoder.buffer) as Uint8Array),
    decompress: async (buffer: Buffer) => snappyDecompress(buffer),
  }),
  [CompressionTypes.LZ4]: () => ({
    compress: async (encoder: Encoder) => Buffer.from(lz4.compress(encoder.buffer) as Uint8Array),
    decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer) as Uint8Array),
  }),
  [CompressionTypes.ZSTD]: () => ({
    compress: async () => {
      throw new Error('Kastor does not produce zstd-compressed batches');
    },
    decompress: async (buffer: Buffer) => Buffer.from(zstdDecompress(buffer)),
  }),
};

let registered = false;

export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  Object.assign(CompressionCodecs, codecs);
}
