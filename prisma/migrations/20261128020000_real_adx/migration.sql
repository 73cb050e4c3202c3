-- AlterEnum
ALTER TYPE "KustoAuthKind" ADD VALUE 'APPLICATION_CERTIFICATE';
ALTER TYPE "KustoAuthKind" ADD VALUE 'MANAGED_IDENTITY';
ALTER TYPE "KustoAuthKind" ADD VALUE 'WORKLOAD_IDENTITY';
ALTER TYPE "KustoAuthKind" ADD VALUE 'AZURE_CLI';

-- CreateEnum
CREATE TYPE "KustoPrincipalRole" AS ENUM ('ADMIN', 'INGESTOR');

-- CreateEnum
CREATE TYPE "IngestionBatchStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "KustoConnection" ADD COLUMN     "certificatePemEnc" TEXT,
ADD COLUMN     "lastTest" JSONB,
ADD COLUMN     "lastTestedAt" TIMESTAMPTZ(3),
ADD COLUMN     "managedIdentityClientId" TEXT,
ADD COLUMN     "principalRole" "KustoPrincipalRole" NOT NULL DEFAULT 'ADMIN',
ADD COLUMN     "sendX5c" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tokenFilePath" TEXT;

-- AlterTable
ALTER TABLE "ConnectorStatus" ADD COLUMN     "lastIngestionPath" TEXT;

-- CreateTable
CREATE TABLE "IngestionBatch" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "firstOffset" BIGINT NOT NULL,
    "lastOffset" BIGINT NOT NULL,
    "rows" INTEGER NOT NULL,
    "rawBytes" BIGINT NOT NULL,
    "blobName" TEXT NOT NULL,
    "status" "IngestionBatchStatus" NOT NULL DEFAULT 'PENDING',
    "path" TEXT NOT NULL DEFAULT 'queued',
    "fallbackReason" TEXT,
    "failure" TEXT,
    "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "IngestionBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "IngestionBatch_connectorId_status_idx" ON "IngestionBatch"("connectorId", "status");

-- AddForeignKey
ALTER TABLE "IngestionBatch" ADD CONSTRAINT "IngestionBatch_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
