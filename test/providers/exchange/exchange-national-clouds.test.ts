import { randomBytes } from 'node:crypto';
import { TENANT, exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

describe('Exchange in national clouds: the cloud setting picks the Entra ID and Graph hosts', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it.each([
    ['usGovHigh', 'login.microsoftonline.us', 'graph.microsoft.us', 'outlook.office365.us'],
    ['usGovDoD', 'login.microsoftonline.us', 'dod-graph.microsoft.us', 'outlook-dod.office365.us'],
  ] as const)('%s: token from %s for https://%s/.default, mail through Graph there, large attachments uploaded to %s', async (cloud, login, graph, outlook) => {
    fixture = await exchangeFixture({ standIn: { cloud }, settings: { cloud } });
    const { mailwright, standIn } = fixture;
    await mailwright.parameters.update({ attachmentSizeLimitBytes: 40 * 1024 * 1024 });
    await mailwright.enqueue({ to: 'c@example.com', subject: 'small', text: 'x' });
    await mailwright.enqueue({ to: 'c@example.com', subject: 'large', text: 'x', attachments: [{ filename: 'big.bin', content: randomBytes(5 * 1024 * 1024) }] });
    expect((await mailwright.distributor.runOnce()).sent).toBe(2);
    expect(standIn.token.requests[0]?.get('scope')).toBe(`https://${graph}/.default`);
    expect([...new Set(standIn.requests.map((r) => r.host))].sort()).toEqual([graph, login, outlook].sort());
    expect(standIn.requests.find((r) => r.host === login)?.path).toBe(`/${TENANT}/oauth2/v2.0/token`);
    expect(standIn.graph.sent.map((s) => s.route).sort()).toEqual(['draft', 'sendMail']);
  });
});
