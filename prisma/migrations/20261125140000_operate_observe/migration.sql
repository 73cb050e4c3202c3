-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "restartGeneration" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ConnectorStatus" ADD COLUMN     "lagSeconds" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "MetricSample" ADD COLUMN     "partitionOffsets" JSONB NOT NULL DEFAULT '{}';
