-- AlterTable
ALTER TABLE "KafkaConnection" ADD COLUMN "schemaRegistryPasswordEnc" TEXT,
ADD COLUMN "schemaRegistryUrl" TEXT,
ADD COLUMN "schemaRegistryUsername" TEXT;

-- CreateTable
CREATE TABLE "ConversionIssue" (
    "connectorId" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "table" TEXT NOT NULL,
    "column" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "columnType" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "checked" INTEGER NOT NULL DEFAULT 0,
    "exampleTopic" TEXT NOT NULL,
    "examplePartition" INTEGER NOT NULL,
    "exampleOffset" BIGINT NOT NULL,
    "exampleValue" TEXT NOT NULL,

    CONSTRAINT "ConversionIssue_pkey" PRIMARY KEY ("connectorId","minute","table","column","kind")
);

-- AddForeignKey
ALTER TABLE "ConversionIssue" ADD CONSTRAINT "ConversionIssue_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
