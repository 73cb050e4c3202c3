-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorAssignment" (
    "connectorId" UUID NOT NULL,
    "workerId" TEXT NOT NULL,
    "state" "ActualState" NOT NULL,
    "revision" INTEGER NOT NULL,
    "partitions" JSONB NOT NULL DEFAULT '[]',
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConnectorAssignment_pkey" PRIMARY KEY ("connectorId","workerId")
);

-- CreateTable
CREATE TABLE "ConnectorLease" (
    "connectorId" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConnectorLease_pkey" PRIMARY KEY ("connectorId")
);

-- CreateIndex
CREATE INDEX "ConnectorAssignment_workerId_idx" ON "ConnectorAssignment"("workerId");

-- AddForeignKey
ALTER TABLE "ConnectorAssignment" ADD CONSTRAINT "ConnectorAssignment_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorAssignment" ADD CONSTRAINT "ConnectorAssignment_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorLease" ADD CONSTRAINT "ConnectorLease_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
