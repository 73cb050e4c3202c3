-- CreateEnum
CREATE TYPE "AlertConditionKind" AS ENUM ('HEALTH', 'LAG_SECONDS', 'CONNECTOR_FAILED', 'INGESTION_FAILURES');

-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('JSON', 'TEAMS', 'SLACK');

-- CreateEnum
CREATE TYPE "AlertEventKind" AS ENUM ('FIRING', 'RESOLVED', 'TEST');

-- CreateEnum
CREATE TYPE "AlertDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- AlterTable
ALTER TABLE "KafkaConnection" ADD COLUMN     "tlsCaPem" TEXT,
ADD COLUMN     "tlsClientCertPem" TEXT,
ADD COLUMN     "tlsClientKeyPemEnc" TEXT;

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "connectorId" UUID,
    "condition" "AlertConditionKind" NOT NULL,
    "healthStatuses" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "threshold" DOUBLE PRECISION,
    "forMinutes" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "format" "WebhookFormat" NOT NULL DEFAULT 'JSON',
    "webhookUrlEnc" TEXT NOT NULL,
    "webhookOrigin" TEXT NOT NULL,
    "sendResolved" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertState" (
    "ruleId" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "firing" BOOLEAN NOT NULL DEFAULT false,
    "episode" INTEGER NOT NULL DEFAULT 0,
    "pendingSince" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AlertState_pkey" PRIMARY KEY ("ruleId","connectorId")
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" BIGSERIAL NOT NULL,
    "ruleId" UUID NOT NULL,
    "connectorId" UUID,
    "kind" "AlertEventKind" NOT NULL,
    "episode" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "AlertDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" BIGSERIAL NOT NULL,
    "eventId" BIGINT NOT NULL,
    "ruleId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "httpStatus" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    "sender" TEXT NOT NULL,

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_name_key" ON "AlertRule"("name");

-- CreateIndex
CREATE INDEX "AlertEvent_status_nextAttemptAt_idx" ON "AlertEvent"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertEvent_ruleId_connectorId_episode_kind_key" ON "AlertEvent"("ruleId", "connectorId", "episode", "kind");

-- CreateIndex
CREATE INDEX "AlertDelivery_ruleId_at_idx" ON "AlertDelivery"("ruleId", "at");

-- AddForeignKey
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertState" ADD CONSTRAINT "AlertState_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertState" ADD CONSTRAINT "AlertState_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AlertEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
