import type { TResultTable } from '../protocol/result-table';
import { formatKustoDatetime } from '../../lib/mapping/kusto-datetime';
import { formatKustoTimespan } from '../../lib/mapping/kusto-timespan';

export interface TCommandLogEntry {
  clientActivityId: string;
  rootActivityId: string;
  commandType: string;
  text: string;
  database: string;
  startedOn: Date;
  lastUpdatedOn: Date;
  state: 'InProgress' | 'Completed' | 'Failed';
  failureReason: string;
  application: string;
  principal: string;
  user: string;
}

/** ADX keeps 30 days of commands; the local engine keeps the newest this many, in memory. */
const MAX_ENTRIES = 10_000;

/** Every management command the engine ran or refused, for `.show commands`. */
export class CommandLog {
  private readonly entries: TCommandLogEntry[] = [];

  add(entry: TCommandLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** ADX shows admins every command and everyone else their own (commands-and-queries / show-commands.md). */
  show(principalFqn: string | undefined): TResultTable {
    const visible = principalFqn === undefined ? this.entries : this.entries.filter((entry) => entry.principal === principalFqn);
    const ticks = (date: Date) => BigInt(date.getTime()) * 10_000n;
    return {
      columns: [
        { name: 'ClientActivityId', type: 'string' },
        { name: 'CommandType', type: 'string' },
        { name: 'Text', type: 'string' },
        { name: 'Database', type: 'string' },
        { name: 'StartedOn', type: 'datetime' },
        { name: 'LastUpdatedOn', type: 'datetime' },
        { name: 'Duration', type: 'timespan' },
        { name: 'State', type: 'string' },
        { name: 'RootActivityId', type: 'guid' },
        { name: 'User', type: 'string' },
        { name: 'FailureReason', type: 'string' },
        { name: 'Application', type: 'string' },
        { name: 'Principal', type: 'string' },
      ],
      rows: visible.map((entry) => [
        entry.clientActivityId,
        entry.commandType,
        entry.text,
        entry.database,
        formatKustoDatetime(ticks(entry.startedOn)),
        formatKustoDatetime(ticks(entry.lastUpdatedOn)),
        formatKustoTimespan(ticks(entry.lastUpdatedOn) - ticks(entry.startedOn)),
        entry.state,
        entry.rootActivityId,
        entry.user,
        entry.failureReason,
        entry.application,
        entry.principal,
      ]),
    };
  }
}
