import avro from 'avsc';
import type { TColumn } from '../connectors/connector-definition';
import { columnNameFor, jsonPathFor } from '../mapping/column-naming';
import { stringifyJsonLossless } from '../mapping/lossless-json';
import type { TKqlType } from '../kql/identifiers';
import type { TJsonValue } from '../mapping/types';
import { SchemaRegistryError, type SchemaRegistryClient } from './registry-client';

/** Confluent's wire format: magic byte 0, the schema id as a big-endian int32, then the payload. */
export const WIRE_FORMAT_HEADER_BYTES = 5;

export function wireFormatSchemaId(value: Buffer): number | null {
  return value.length >= WIRE_FORMAT_HEADER_BYTES && value[0] === 0 ? value.readInt32BE(1) : null;
}

/** Avro `long` as bigint: ids and epoch microseconds pass 2^53, where avsc's default refuses to read them. */
const LONG_AS_BIGINT = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint | number) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(BigInt(value));
    return buffer;
  },
  fromJSON: (value: unknown) => BigInt(value as string),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** Unions stay wrapped (`{"string": "x"}`), so each branch's logical type is known when converting. */
export function compileAvroSchema(schema: string): avro.Type {
  return avro.Type.forSchema(JSON.parse(schema), { wrapUnions: true, registry: { long: LONG_AS_BIGINT } });
}

type AvroSchemaNode = string | AvroSchemaNode[] | { type: AvroSchemaNode; logicalType?: string; name?: string; namespace?: string; fields?: { name: string; type: AvroSchemaNode }[]; items?: AvroSchemaNode; values?: AvroSchemaNode; scale?: number; precision?: number; symbols?: string[] };

const MICROS_PER_MS = 1000n;

function isoFromMicros(micros: bigint): string {
  const ms = micros / MICROS_PER_MS - (micros % MICROS_PER_MS < 0n ? 1n : 0n);
  const rest = micros - ms * MICROS_PER_MS;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** Two's complement, big-endian (the Avro spec's decimal encoding) → exact decimal text. */
function decimalText(bytes: Buffer, scale: number): string {
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && bytes[0] & 0x80) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

function timeText(totalMicros: bigint): string {
  const micros = totalMicros % 1_000_000n;
  const seconds = totalMicros / 1_000_000n;
  const pad = (value: bigint) => value.toString().padStart(2, '0');
  return `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}.${micros.toString().padStart(6, '0')}`;
}

/** Named types are defined once and referred to by name later in a schema. */
type NamedTypes = Map<string, AvroSchemaNode>;

function resolve(node: AvroSchemaNode, named: NamedTypes, namespace?: string): AvroSchemaNode {
  if (typeof node === 'string' && !PRIMITIVES.has(node)) return named.get(node) ?? named.get(`${namespace}.${node}`) ?? node;
  return node;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function collectNamed(node: AvroSchemaNode, named: NamedTypes, namespace?: string): void {
  if (Array.isArray(node)) return node.forEach((branch) => collectNamed(branch, named, namespace));
  if (typeof node !== 'object' || node === null) return;
  const ns = node.namespace ?? namespace;
  if (node.name && (node.type === 'record' || node.type === 'enum' || node.type === 'fixed')) {
    named.set(node.name, node);
    if (ns) named.set(`${ns}.${node.name}`, node);
  }
  node.fields?.forEach((field) => collectNamed(field.type, named, ns));
  if (node.items) collectNamed(node.items, named, ns);
  if (node.values) collectNamed(node.values, named, ns);
  if (typeof node.type === 'object') collectNamed(node.type, named, ns);
}

/**
 * A decoded Avro value as JSON the mapping reads: logical types as ADX reads them — timestamps and
 * dates as ISO 8601 text (datetime), decimals as exact decimal text, uuids as text (guid), times
 * as `hh:mm:ss.ffffff` (timespan) — bytes as base64, longs exact, NaN and infinities as text.
 */
function toJson(value: unknown, node: AvroSchemaNode, named: NamedTypes): TJsonValue {
  const schema = resolve(node, named);
  if (Array.isArray(schema)) {
    if (value === null) return null;
    const [branch, inner] = Object.entries(value as Record<string, unknown>)[0];
    const branchSchema = schema.map((candidate) => resolve(candidate, named)).find((candidate) => typeName(candidate) === branch || (typeof candidate === 'object' && !Array.isArray(candidate) && (candidate.name === branch || `${candidate.namespace}.${candidate.name}` === branch))) ?? branch;
    return toJson(inner, branchSchema, named);
  }
  if (typeof schema === 'string') return primitiveJson(value, schema);
  const logical = schema.logicalType;
  const base = typeof schema.type === 'string' ? schema.type : null;
  if (logical === 'timestamp-millis' || logical === 'local-timestamp-millis') return new Date(Number(value as bigint)).toISOString();
  if (logical === 'timestamp-micros' || logical === 'local-timestamp-micros') return isoFromMicros(BigInt(value as bigint));
  if (logical === 'date') return new Date(Number(value) * 86_400_000).toISOString();
  if (logical === 'time-millis') return timeText(BigInt(value as number) * 1000n);
  if (logical === 'time-micros') return timeText(BigInt(value as bigint));
  if (logical === 'decimal' && (base === 'bytes' || base === 'fixed')) return decimalText(value as Buffer, schema.scale ?? 0);
  switch (base) {
    case 'record': {
      const record = value as Record<string, unknown>;
      return Object.fromEntries((schema.fields ?? []).map((field) => [field.name, toJson(record[field.name], field.type, named)]));
    }
    case 'array':
      return (value as unknown[]).map((item) => toJson(item, schema.items!, named));
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, toJson(item, schema.values!, named)]));
    case 'enum':
      return value as string;
    case 'fixed':
      return (value as Buffer).toString('base64');
    default:
      return typeof schema.type === 'string' ? primitiveJson(value, schema.type) : toJson(value, schema.type, named);
  }
}

function typeName(node: AvroSchemaNode): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return 'union';
  return typeof node.type === 'string' ? (node.type === 'record' || node.type === 'enum' || node.type === 'fixed' ? (node.namespace ? `${node.namespace}.${node.name}` : node.name ?? node.type) : node.type) : typeName(node.type);
}

function primitiveJson(value: unknown, type: string): TJsonValue {
  if (type === 'bytes') return (value as Buffer).toString('base64');
  if ((type === 'float' || type === 'double') && typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value as TJsonValue;
}

export interface CompiledAvroSchema {
  type: avro.Type;
  schema: AvroSchemaNode;
  named: NamedTypes;
}

export function prepareAvroSchema(text: string): CompiledAvroSchema {
  const schema = JSON.parse(text) as AvroSchemaNode;
  const named: NamedTypes = new Map();
  collectNamed(schema, named);
  return { type: compileAvroSchema(text), schema, named };
}

/** The Avro payload (after the wire-format header) as a JSON object's text; throws on bytes that do not match the schema. */
export function avroPayloadToJson(payload: Buffer, compiled: CompiledAvroSchema): string {
  const value = compiled.type.fromBuffer(payload);
  return stringifyJsonLossless(toJson(value, compiled.schema, compiled.named));
}

export type AvroDecodeResult = { ok: true; json: string; schemaId: number } | { ok: false; reason: string; retryable: boolean };

/**
 * Decodes Confluent-framed Avro with the writer's schema from the registry; compiled schemas are
 * cached by id. A record that is not framed, names an id the registry does not know, or does not
 * match its schema is the record's fault; a registry that does not answer is not (retryable).
 */
export class AvroRecordDecoder {
  private readonly compiled = new Map<number, Promise<CompiledAvroSchema>>();

  constructor(private readonly registry: SchemaRegistryClient) {}

  async decode(value: Buffer): Promise<AvroDecodeResult> {
    const schemaId = wireFormatSchemaId(value);
    if (schemaId === null) return { ok: false, reason: 'value is not in the Confluent wire format (magic byte 0 and a 4-byte schema id)', retryable: false };
    let compiled: CompiledAvroSchema;
    try {
      compiled = await this.schemaFor(schemaId);
    } catch (error) {
      if (error instanceof SchemaRegistryError && error.notFound) return { ok: false, reason: `schema id ${schemaId} is unknown to the schema registry (${this.registry.baseUrl})`, retryable: false };
      if (error instanceof UnsupportedSchemaError) return { ok: false, reason: error.message, retryable: false };
      return { ok: false, reason: (error as Error).message, retryable: true };
    }
    try {
      return { ok: true, json: avroPayloadToJson(value.subarray(WIRE_FORMAT_HEADER_BYTES), compiled), schemaId };
    } catch (error) {
      return { ok: false, reason: `value does not match its Avro schema (id ${schemaId}): ${(error as Error).message}`, retryable: false };
    }
  }

  schemaFor(schemaId: number): Promise<CompiledAvroSchema> {
    let cached = this.compiled.get(schemaId);
    if (!cached) {
      cached = this.registry.schemaById(schemaId).then(({ schema, schemaType }) => {
        if (schemaType !== 'AVRO') throw new UnsupportedSchemaError(`schema id ${schemaId} is ${schemaType}; the connector decodes Avro`);
        return prepareAvroSchema(schema);
      });
      this.compiled.set(schemaId, cached);
      cached.catch(() => this.compiled.delete(schemaId));
    }
    return cached;
  }
}

class UnsupportedSchemaError extends Error {}

function kqlTypeOf(node: AvroSchemaNode, named: NamedTypes): TKqlType {
  const schema = resolve(node, named);
  if (Array.isArray(schema)) {
    const branches = schema.filter((branch) => branch !== 'null');
    return branches.length === 1 ? kqlTypeOf(branches[0], named) : 'dynamic';
  }
  if (typeof schema === 'string') {
    return ({ boolean: 'bool', int: 'int', long: 'long', float: 'real', double: 'real', string: 'string', bytes: 'string', null: 'string' } as const)[schema as 'int'] ?? 'dynamic';
  }
  switch (schema.logicalType) {
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'local-timestamp-millis':
    case 'local-timestamp-micros':
    case 'date':
      return 'datetime';
    case 'time-millis':
    case 'time-micros':
      return 'timespan';
    case 'decimal':
      return 'decimal';
    case 'uuid':
      return 'guid';
  }
  if (schema.type === 'enum' || schema.type === 'fixed') return 'string';
  if (schema.type === 'record' || schema.type === 'array' || schema.type === 'map') return 'dynamic';
  return kqlTypeOf(schema.type, named);
}

/**
 * A table's columns from a record schema: one per field (nested records flattened down to
 * `nestedDepth` levels), typed from the Avro type and its logical type; `["null", T]` is T.
 */
export function inferAvroColumns(schemaText: string, nestedDepth = 1): TColumn[] {
  const { schema, named } = prepareAvroSchema(schemaText);
  const root = resolve(schema, named);
  if (typeof root !== 'object' || Array.isArray(root) || root.type !== 'record') throw new Error('the schema is not an Avro record');
  const columns: TColumn[] = [];
  const taken = new Set<string>();
  const visit = (fields: { name: string; type: AvroSchemaNode }[], prefix: string[], depth: number) => {
    for (const field of fields) {
      const segments = [...prefix, field.name];
      const fieldSchema = resolve(field.type, named);
      const nullable = Array.isArray(fieldSchema) ? fieldSchema.filter((branch) => branch !== 'null') : null;
      const inner = nullable && nullable.length === 1 ? resolve(nullable[0], named) : fieldSchema;
      if (typeof inner === 'object' && !Array.isArray(inner) && inner.type === 'record' && depth < nestedDepth && !nullable) {
        visit(inner.fields ?? [], segments, depth + 1);
        continue;
      }
      const base = columnNameFor(segments);
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
      taken.add(name);
      columns.push({ name, type: kqlTypeOf(field.type, named), path: jsonPathFor(segments) });
    }
  };
  visit(root.fields ?? [], [], 0);
  return columns;
}
