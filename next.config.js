/** @type {import('next').NextConfig} */
const nextConfig = {
  devIndicators: false,
  // Native bindings and Node-only SDKs: load them from node_modules at runtime instead of bundling.
  serverExternalPackages: ['kafkajs', 'azure-kusto-data', 'azure-kusto-ingest', '@duckdb/node-api', 'pg', '@prisma/adapter-pg'],
  turbopack: {
    // The Kusto language service (in the KQL editor's worker) has a `require("fs")` it never reaches in a browser.
    resolveAlias: { fs: { browser: './components/kql-editor/no-node-fs.ts' } },
  },
};

export default nextConfig;
