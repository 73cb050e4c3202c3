import { z } from 'zod';
import { decryptSecret } from '../secrets';

/** What a Kafka connection stores about its schema registry (a Confluent-compatible REST API). */
export interface SchemaRegistryRecord {
  schemaRegistryUrl: string | null;
  schemaRegistryUsername?: string | null;
  schemaRegistryPasswordEnc?: string | null;
}

const ZSchemaById = z.object({
  schema: z.string(),
  /** Absent means AVRO (Confluent's API omits it for Avro). */
  schemaType: z.string().optional(),
});

const ZSubjectVersion = z.object({ subject: z.string(), id: z.number().int(), version: z.number().int(), schema: z.string(), schemaType: z.string().optional() });
export type TSubjectVersion = z.infer<typeof ZSubjectVersion>;

export class SchemaRegistryError extends Error {
  constructor(
    message: string,
    /** The registry answered that the schema (or subject) does not exist: the record is at fault, not the registry. */
    readonly notFound: boolean,
  ) {
    super(message);
    this.name = 'SchemaRegistryError';
  }
}

/** A request's limit: a registry that hangs must not hold a batch for longer than this per try. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio under
 * `/apis/ccompat/v7`, Karapace and Redpanda): schemas by id, cached forever — an id names one
 * schema for the registry's lifetime — and subjects' versions. HTTP basic auth when a user is set.
 */
export class SchemaRegistryClient {
  private readonly byId = new Map<number, Promise<{ schema: string; schemaType: string }>>();
  private readonly authorization: string | null;

  constructor(
    readonly baseUrl: string,
    credentials: { username: string; password: string } | null = null,
  ) {
    this.authorization = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : null;
  }

  static fromConnection(connection: SchemaRegistryRecord, secretKey: string): SchemaRegistryClient | null {
    if (!connection.schemaRegistryUrl) return null;
    const username = connection.schemaRegistryUsername ?? null;
    const password = connection.schemaRegistryPasswordEnc ? decryptSecret(connection.schemaRegistryPasswordEnc, secretKey) : '';
    return new SchemaRegistryClient(connection.schemaRegistryUrl, username ? { username, password } : null);
  }

  /** The writer's schema of a record; a failed lookup is not cached, so a registry outage heals. */
  schemaById(id: number): Promise<{ schema: string; schemaType: string }> {
    let cached = this.byId.get(id);
    if (!cached) {
      cached = this.get(`/schemas/ids/${id}`, ZSchemaById).then((answer) => ({ schema: answer.schema, schemaType: answer.schemaType ?? 'AVRO' }));
      this.byId.set(id, cached);
      cached.catch(() => this.byId.delete(id));
    }
    return cached;
  }

  /** The newest version of a subject (Kafka's TopicNameStrategy names a topic's value subject `<topic>-value`). */
  latestVersion(subject: string): Promise<TSubjectVersion> {
    return this.get(`/subjects/${encodeURIComponent(subject)}/versions/latest`, ZSubjectVersion);
  }

  /** Registers a schema under a subject and answers its id (what a producer's serializer does). */
  async register(subject: string, schema: string): Promise<number> {
    const answer = await this.request(`/subjects/${encodeURIComponent(subject)}/versions`, z.object({ id: z.number().int() }), {
      method: 'POST',
      body: JSON.stringify({ schema, schemaType: 'AVRO' }),
    });
    return answer.id;
  }

  private get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    return this.request(path, schema, { method: 'GET' });
  }

  private async request<T>(path: string, schema: z.ZodType<T>, init: { method: string; body?: string }): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: {
          accept: 'application/vnd.schemaregistry.v1+json, application/json',
          ...(init.body ? { 'content-type': 'application/vnd.schemaregistry.v1+json' } : {}),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new SchemaRegistryError(`the schema registry at ${this.baseUrl} did not answer: ${(error as Error).message}`, false);
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 200);
      try {
        detail = z.object({ message: z.string() }).parse(JSON.parse(text)).message;
      } catch {
        // Not the registry's error shape: the start of the body says enough.
      }
      if (response.status === 401 || response.status === 403) throw new SchemaRegistryError(`the schema registry refused the credentials (HTTP ${response.status}): ${detail}`, false);
      throw new SchemaRegistryError(`the schema registry answered HTTP ${response.status} for ${path}: ${detail}`, response.status === 404);
    }
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new SchemaRegistryError(`the schema registry's answer for ${path} is not in the expected shape`, false);
    return parsed.data;
  }
}
