import { z } from 'zod';

/** `POST /api/connectors/:id/reset-offsets`: where to move the group's offsets, and where each partition went. Client-safe. */
export const ZResetOffsetsRequest = z
  .object({
    to: z.enum(['earliest', 'latest', 'timestamp']),
    timestamp: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  })
  .strict()
  .refine((request) => request.to !== 'timestamp' || request.timestamp !== undefined, { path: ['timestamp'], message: 'is required when to is "timestamp"' });
export type TResetOffsetsRequest = z.infer<typeof ZResetOffsetsRequest>;

export interface ResetPartition {
  topic: string;
  partition: number;
  offset: number;
}
