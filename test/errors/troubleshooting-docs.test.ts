import { readFile } from 'node:fs/promises';
import { ErrorCodes } from '../../src/errors/error-codes.js';
import { catalogueEntry, failureCatalogue } from '../../src/errors/failure-catalogue.js';
import { renderTroubleshooting } from '../../scripts/troubleshooting-doc.js';

describe('the failure catalogue and docs/troubleshooting.md stay in step', () => {
  it('every error code has a catalogue entry with an explanation and a fix', () => {
    for (const code of Object.values(ErrorCodes)) {
      const entry = catalogueEntry(code);
      expect({ code, has: entry !== undefined }).toEqual({ code, has: true });
      expect(entry?.explanation.length).toBeGreaterThan(20);
      expect(entry?.fix.length).toBeGreaterThan(10);
    }
  });

  it('the committed doc is the one generated from the catalogue (run `npm run docs:troubleshooting`)', async () => {
    const committed = await readFile(new URL('../../docs/troubleshooting.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderTroubleshooting());
  });

  it('the doc has one section per code, with the fix verbatim', async () => {
    const doc = await readFile(new URL('../../docs/troubleshooting.md', import.meta.url), 'utf8');
    const headings = [...doc.matchAll(/^### (MW_[A-Z0-9_]+) — /gm)].map((m) => m[1]);
    expect(new Set(headings)).toEqual(new Set(failureCatalogue.map((e) => e.code)));
    expect(headings).toHaveLength(new Set(headings).size);
    for (const entry of failureCatalogue) expect(doc).toContain(entry.fix);
  });
});
