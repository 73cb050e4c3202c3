-- CreateIndex
CREATE INDEX "IngestionBatch_connectorId_topic_partition_lastOffset_idx" ON "IngestionBatch"("connectorId", "topic", "partition", "lastOffset");

-- AlterTable
ALTER TABLE "ConnectorStatus" ADD COLUMN     "possibleDuplicateRows" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PartitionMetric" ADD COLUMN     "lastSentOffset" BIGINT;
