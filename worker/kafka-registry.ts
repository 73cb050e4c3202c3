import type { Admin, Kafka } from 'kafkajs';
import { createKafka, type KafkaConnectionRecord } from '../lib/kafka/kafka-client';
import { installWorkerKafkajs } from './kafkajs-fast-paths';

interface Entry {
  version: number;
  kafka: Kafka;
  admin: Promise<Admin>;
}

/** One kafkajs client and one admin connection per Kafka connection, rebuilt when it is edited. */
export class KafkaRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly secretKey: string,
    private readonly clientId: string,
  ) {}

  kafkaFor(id: string, connection: KafkaConnectionRecord & { updatedAt: Date }): Kafka {
    return this.entryFor(id, connection).kafka;
  }

  adminFor(id: string, connection: KafkaConnectionRecord & { updatedAt: Date }): Promise<Admin> {
    return this.entryFor(id, connection).admin;
  }

  private entryFor(id: string, connection: KafkaConnectionRecord & { updatedAt: Date }): Entry {
    const version = connection.updatedAt.getTime();
    const existing = this.entries.get(id);
    if (existing && existing.version === version) return existing;
    if (existing) void existing.admin.then((admin) => admin.disconnect()).catch(() => undefined);
    // The worker's consumers read every record: kafkajs gets the faster record decoding and the
    // fetch budget first (worker/main.ts installed them already; this covers a supervisor run in
    // another process).
    installWorkerKafkajs();
    const kafka = createKafka(connection, this.secretKey, this.clientId);
    const admin = kafka.admin();
    const connected = admin.connect().then(() => admin);
    // A failed connect is retried on the next request rather than cached forever.
    connected.catch(() => {
      if (this.entries.get(id)?.admin === connected) this.entries.delete(id);
    });
    const entry = { version, kafka, admin: connected };
    this.entries.set(id, entry);
    return entry;
  }

  async close(): Promise<void> {
    const admins = [...this.entries.values()].map((entry) => entry.admin.then((admin) => admin.disconnect()).catch(() => undefined));
    this.entries.clear();
    await Promise.all(admins);
  }
}
