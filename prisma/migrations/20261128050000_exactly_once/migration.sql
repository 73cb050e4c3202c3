-- AlterTable
ALTER TABLE "ConnectorStatus" ADD COLUMN     "duplicateRows" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PartitionMetric" ADD COLUMN     "lastWrittenOffset" BIGINT;

-- CreateTable
CREATE TABLE "PartitionOwner" (
    "connectorId" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "workerId" TEXT NOT NULL,
    "token" UUID NOT NULL,
    "claimedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PartitionOwner_pkey" PRIMARY KEY ("connectorId","topic","partition")
);

-- AddForeignKey
ALTER TABLE "PartitionOwner" ADD CONSTRAINT "PartitionOwner_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
