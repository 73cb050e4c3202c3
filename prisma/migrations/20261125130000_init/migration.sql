-- CreateEnum
CREATE TYPE "DesiredState" AS ENUM ('RUNNING', 'PAUSED', 'STOPPED', 'DELETED');

-- CreateEnum
CREATE TYPE "ActualState" AS ENUM ('PENDING', 'STARTING', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "KafkaSecurityProtocol" AS ENUM ('PLAINTEXT', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL');

-- CreateEnum
CREATE TYPE "KustoAuthKind" AS ENUM ('NONE', 'APPLICATION_KEY');

-- CreateTable
CREATE TABLE "KafkaConnection" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "brokers" TEXT[],
    "securityProtocol" "KafkaSecurityProtocol" NOT NULL DEFAULT 'PLAINTEXT',
    "saslMechanism" TEXT,
    "saslUsername" TEXT,
    "saslPasswordEnc" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KafkaConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KustoConnection" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "clusterUrl" TEXT NOT NULL,
    "ingestUrl" TEXT,
    "authKind" "KustoAuthKind" NOT NULL DEFAULT 'NONE',
    "tenantId" TEXT,
    "appId" TEXT,
    "appKeyEnc" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KustoConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Connector" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kafkaConnectionId" UUID NOT NULL,
    "kustoConnectionId" UUID NOT NULL,
    "definition" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "desiredState" "DesiredState" NOT NULL DEFAULT 'RUNNING',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorRevision" (
    "connectorId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectorRevision_pkey" PRIMARY KEY ("connectorId","revision")
);

-- CreateTable
CREATE TABLE "ConnectorStatus" (
    "connectorId" UUID NOT NULL,
    "actualState" "ActualState" NOT NULL DEFAULT 'PENDING',
    "appliedRevision" INTEGER,
    "workerId" TEXT,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "rowsWritten" BIGINT NOT NULL DEFAULT 0,
    "bytesWritten" BIGINT NOT NULL DEFAULT 0,
    "recordsSkipped" BIGINT NOT NULL DEFAULT 0,
    "totalLag" BIGINT NOT NULL DEFAULT 0,
    "rowsPerSecond" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectorStatus_pkey" PRIMARY KEY ("connectorId")
);

-- CreateTable
CREATE TABLE "PartitionMetric" (
    "connectorId" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "committedOffset" BIGINT,
    "logEndOffset" BIGINT NOT NULL DEFAULT 0,
    "lag" BIGINT NOT NULL DEFAULT 0,
    "rowsWritten" BIGINT NOT NULL DEFAULT 0,
    "bytesWritten" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartitionMetric_pkey" PRIMARY KEY ("connectorId","topic","partition")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "id" BIGSERIAL NOT NULL,
    "connectorId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "totalLag" BIGINT NOT NULL,
    "rowsWritten" BIGINT NOT NULL,
    "bytesWritten" BIGINT NOT NULL,
    "rowsPerSecond" DOUBLE PRECISION NOT NULL,
    "bytesPerSecond" DOUBLE PRECISION NOT NULL,
    "partitionLag" JSONB NOT NULL,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorError" (
    "id" BIGSERIAL NOT NULL,
    "connectorId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "topic" TEXT,
    "partition" INTEGER,
    "offset" BIGINT,
    "preview" TEXT,

    CONSTRAINT "ConnectorError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "connectorId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KafkaConnection_name_key" ON "KafkaConnection"("name");

-- CreateIndex
CREATE UNIQUE INDEX "KustoConnection_name_key" ON "KustoConnection"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Connector_name_key" ON "Connector"("name");

-- CreateIndex
CREATE INDEX "MetricSample_connectorId_at_idx" ON "MetricSample"("connectorId", "at");

-- CreateIndex
CREATE INDEX "ConnectorError_connectorId_at_idx" ON "ConnectorError"("connectorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_connectorId_at_idx" ON "AuditEvent"("connectorId", "at");

-- AddForeignKey
ALTER TABLE "Connector" ADD CONSTRAINT "Connector_kafkaConnectionId_fkey" FOREIGN KEY ("kafkaConnectionId") REFERENCES "KafkaConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connector" ADD CONSTRAINT "Connector_kustoConnectionId_fkey" FOREIGN KEY ("kustoConnectionId") REFERENCES "KustoConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorRevision" ADD CONSTRAINT "ConnectorRevision_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorStatus" ADD CONSTRAINT "ConnectorStatus_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartitionMetric" ADD CONSTRAINT "PartitionMetric_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricSample" ADD CONSTRAINT "MetricSample_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorError" ADD CONSTRAINT "ConnectorError_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE SET NULL ON UPDATE CASCADE;
