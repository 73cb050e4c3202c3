import { describe, expect, it } from 'vitest';
import { ZConnectorDefinition } from '../../lib/connectors/connector-definition';
import { emptyDraft, toDefinition, validatePolicies, withDelivery, type WizardDraft } from '../../components/wizard/wizard-draft';

/** The wizard's delivery choice produces definitions the server accepts, in every ingestion mode. */
function draft(change: Partial<WizardDraft> = {}): WizardDraft {
  return {
    ...emptyDraft(),
    name: 'events',
    kafkaConnectionId: '00000000-0000-4000-8000-000000000001',
    kustoConnectionId: '00000000-0000-4000-8000-000000000002',
    topic: 'events',
    database: 'db',
    table: 'Events',
    mappingName: 'events_json',
    columns: [{ key: 'id', name: 'Id', type: 'long', path: '$.id', transform: '' }],
    ...change,
  };
}

function serverIssues(wizard: WizardDraft): string[] {
  return (ZConnectorDefinition.safeParse(toDefinition(wizard)).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('choosing exactly-once in the wizard', () => {
  it('with streaming adds the partition and offset columns', () => {
    const chosen = { ...draft({ ingestionMode: 'streaming' }), ...withDelivery(draft({ ingestionMode: 'streaming' }), 'exactly-once') };
    expect(chosen.columns.map((column) => column.path)).toEqual(['$.id', '$.__kafka.partition', '$.__kafka.offset']);
    expect(serverIssues(chosen)).toEqual([]);
  });

  it('with queued ingestion keeps the mode and adds no column (blobs are tagged instead)', () => {
    const chosen = { ...draft({ ingestionMode: 'queued' }), ...withDelivery(draft({ ingestionMode: 'queued' }), 'exactly-once') };
    expect(chosen.ingestionMode).toBe('queued');
    expect(chosen.columns).toHaveLength(1);
    expect(validatePolicies(chosen).delivery).toBeUndefined();
    expect(serverIssues(chosen)).toEqual([]);
  });

  it('with managed streaming switches to streaming; a later switch to managed is flagged as the server would', () => {
    const chosen = { ...draft({ ingestionMode: 'managed' }), ...withDelivery(draft({ ingestionMode: 'managed' }), 'exactly-once') };
    expect(chosen.ingestionMode).toBe('streaming');
    const managed = { ...chosen, ingestionMode: 'managed' as const };
    expect(validatePolicies(managed).delivery).toBe(serverIssues(managed).find((issue) => issue.startsWith('delivery: '))?.slice('delivery: '.length));
  });

  it('switching an exactly-once queued draft to streaming adds the columns', () => {
    const queued = { ...draft({ ingestionMode: 'queued' }), ...withDelivery(draft({ ingestionMode: 'queued' }), 'exactly-once') };
    const streaming = { ...queued, ...withDelivery(queued, queued.delivery, 'streaming') };
    expect(streaming.columns.map((column) => column.path)).toEqual(['$.id', '$.__kafka.partition', '$.__kafka.offset']);
  });
});
