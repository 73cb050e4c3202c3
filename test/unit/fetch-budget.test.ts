import { describe, expect, it } from 'vitest';
import { fetchBytesPerPartition, setAssignedPartitions } from '../../worker/fetch-budget';

describe('the worker\'s fetch budget', () => {
  it('gives one connector kafkajs\'s 1 MB per partition and shares 4 MB when many run, never under 64 KB', () => {
    const connectors = Array.from({ length: 100 }, () => ({}));
    expect(fetchBytesPerPartition()).toBe(1024 * 1024);
    setAssignedPartitions(connectors[0], 4);
    expect(fetchBytesPerPartition()).toBe(1024 * 1024);
    for (const connector of connectors.slice(1, 10)) setAssignedPartitions(connector, 4);
    expect(fetchBytesPerPartition()).toBe(Math.floor((4 * 1024 * 1024) / 40));
    for (const connector of connectors) setAssignedPartitions(connector, 12);
    expect(fetchBytesPerPartition()).toBe(64 * 1024);
    // Stopped consumers give their share back.
    for (const connector of connectors.slice(1)) setAssignedPartitions(connector, 0);
    expect(fetchBytesPerPartition()).toBe(Math.floor((4 * 1024 * 1024) / 12));
  });
});
