-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "skipRecords" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "ConnectorStatus" ADD COLUMN     "failedRecord" JSONB;

-- AlterTable
ALTER TABLE "ConnectorAssignment" ADD COLUMN     "failedRecord" JSONB;
