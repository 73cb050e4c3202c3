/** @type {import('next').NextConfig} */
const nextConfig = {
  devIndicators: false,
  // Native bindings and Node-only SDKs: load them from node_modules at runtime instead of bundling.
  serverExternalPackages: ['kafkajs', 'azure-kusto-data', 'azure-kusto-ingest', '@duckdb/node-api', 'pg', '@prisma/adapter-pg'],
};

export default nextConfig;
