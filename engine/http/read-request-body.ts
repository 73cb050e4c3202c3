import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { KustoError } from '../protocol/kusto-error';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

async function readRaw(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new KustoError('tooLarge', `The request body is larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request body, decoded per Content-Encoding; `limitBytes` applies to the decoded size too. */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const raw = await readRaw(request, limitBytes);
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const options = { maxOutputLength: limitBytes };
  try {
    switch (encoding) {
      case 'identity':
      case '':
        return raw;
      case 'gzip':
        return await gunzip(raw, options);
      case 'deflate':
        return await inflate(raw, options);
      case 'br':
        return await brotli(raw, options);
      default:
        throw new KustoError('badRequest', `Unsupported Content-Encoding '${encoding}'`);
    }
  } catch (error) {
    if (error instanceof KustoError) throw error;
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new KustoError('tooLarge', `The request body is larger than ${limitBytes} bytes after decompression`);
    }
    throw new KustoError('badRequest', `The request body could not be decompressed as ${encoding}: ${(error as Error).message}`);
  }
}
