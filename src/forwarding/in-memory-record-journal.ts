import type { JournalEntry, RecordJournal } from './record-journal.js';

/** A {@link RecordJournal} held in memory: for tests, demos and small hosts. */
export class InMemoryRecordJournal implements RecordJournal {
  private readonly all: JournalEntry[] = [];

  async append(entry: JournalEntry): Promise<void> {
    this.all.push(structuredClone(entry));
  }

  /** The entries of one record, in order. */
  entries(recordId: string): JournalEntry[] {
    return this.all.filter((e) => e.recordId === recordId).map((e) => structuredClone(e));
  }
}
