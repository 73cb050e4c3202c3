import { z } from 'zod';

/** The partitions a worker holds, as stored in ConnectorAssignment.partitions. */
export const ZPartitionRefs = z.array(z.object({ topic: z.string(), partition: z.number().int().nonnegative() }));
export type TPartitionRefs = z.infer<typeof ZPartitionRefs>;

/** A record an operator may skip: the one a connector failed on. */
export const ZRecordRef = z.object({ topic: z.string(), partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
export type TRecordRef = z.infer<typeof ZRecordRef>;
export const ZRecordRefs = z.array(ZRecordRef);
