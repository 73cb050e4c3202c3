import { z } from 'zod';

/** The partitions a worker holds, as stored in ConnectorAssignment.partitions. */
export const ZPartitionRefs = z.array(z.object({ topic: z.string(), partition: z.number().int().nonnegative() }));
export type TPartitionRefs = z.infer<typeof ZPartitionRefs>;
