/** The reference scenario's hand-built Kafka Connect Kusto sink configuration, verbatim. */
export const GAMEPLAY_CONNECT_CONFIG = `{
  "name": "gameplay-to-adx",
  "config": {
    "connector.class": "com.microsoft.azure.kusto.kafka.connect.sink.KustoSinkConnector",
    "topics": "gameplay",
    "tasks.max": "4",
    "kusto.ingestion.url": "https://ingest-mycluster.westeurope.kusto.windows.net",
    "kusto.query.url": "https://mycluster.westeurope.kusto.windows.net",
    "aad.auth.authority": "<tenant id>",
    "aad.auth.appid": "<app id>",
    "aad.auth.appkey": "<secret>",
    "kusto.tables.topics.mapping": "[{'topic': 'gameplay','db': 'gamesdb', 'table': 'GamePlay','format': 'json', 'mapping':'gameplay_json_mapping', 'streaming': 'false'}]",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter.schemas.enable": "false",
    "flush.size.bytes": "1048576",
    "flush.interval.ms": "30000",
    "behavior.on.error": "fail",
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "PLAIN",
    "sasl.jaas.config": "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"<key>\\" password=\\"<secret>\\";"
  }
}`;
