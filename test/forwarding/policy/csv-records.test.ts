import fc from 'fast-check';
import { csvRecords } from '../../../src/forwarding/policy/csv-records.js';

/** A field as Export-Csv writes it: always quoted, quotes doubled. */
const quote = (field: string): string => `"${field.replaceAll('"', '""')}"`;

describe('csvRecords (the Export-Csv form)', () => {
  it('reads back any records written quoted, with commas, quotes and line breaks inside fields, CRLF or LF between records', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), fc.constantFrom('\r\n', '\n'), (records, eol) => {
        const text = records.map((r) => r.map(quote).join(',')).join(eol) + eol;
        expect(csvRecords(text)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it('reads unquoted fields and empty ones; skips blank lines', () => {
    expect(csvRecords('a,b,c\r\n\r\n1,,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
    ]);
  });
});
