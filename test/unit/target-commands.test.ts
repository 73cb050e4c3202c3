import { describe, expect, it } from 'vitest';
import { ZConnectorDefinition } from '../../lib/connectors/connector-definition';
import { gameplayConnectorDefinition } from '../../lib/demo/gameplay';
import { quoteString } from '../../lib/kql/identifiers';
import { targetCommandsFor } from '../../lib/kql/target-commands';

const definition = ZConnectorDefinition.parse(
  gameplayConnectorDefinition({ kafkaConnectionId: '00000000-0000-4000-8000-000000000001', kustoConnectionId: '00000000-0000-4000-8000-000000000002' }),
);

describe('target commands', () => {
  it('generates the table, mapping and policies of the reference scenario', () => {
    const commands = targetCommandsFor(definition).map((command) => command.csl);
    expect(commands[0]).toBe(".create-merge table ['GamePlay'] (['PlayerID']:int, ['GameID']:int, ['Win']:long, ['Score']:int, ['EventTime']:datetime)");
    expect(commands[1]).toMatch(/^\.create-or-alter table \['GamePlay'\] ingestion json mapping 'gameplay_json_mapping' '\[/);
    expect(commands[1]).toContain('{"column":"EventTime","datatype":"datetime","Properties":{"Path":"$.eventTime"}}');
    expect(commands[2]).toBe(
      `.alter table ['GamePlay'] policy ingestionbatching '{"MaximumBatchingTimeSpan":"00:00:10","MaximumNumberOfItems":5,"MaximumRawDataSizeMB":100}'`,
    );
    expect(commands[3]).toBe(".alter table ['GamePlay'] policy streamingingestion enable");
  });

  it('escapes quotes inside string literals', () => {
    expect(quoteString(`$['a b']`)).toBe(`'$[\\'a b\\']'`);
  });
});
