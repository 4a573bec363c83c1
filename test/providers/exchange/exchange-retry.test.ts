import { exchangeFixture, type ExchangeFixture } from './exchange-fixture.js';

describe('Exchange provider: an administrator\'s retry of an email Exchange may have accepted', () => {
  let fixture: ExchangeFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('history.retry after a 504 on the last attempt looks in the mailbox first: found, marked sent, not sent twice', async () => {
    fixture = await exchangeFixture();
    const { mailwright, standIn, clock } = fixture;
    await mailwright.parameters.update({ maxAttempts: 1 }); // the uncertain attempt is the last one
    standIn.failures.push({ method: 'POST', pathEndsWith: '/sendMail', afterAccepting: true, status: 504, code: 'GatewayTimeout' });
    const id = await mailwright.enqueue({ to: 'c@example.com', subject: 'once', text: 'x' });
    expect(await mailwright.distributor.runOnce()).toMatchObject({ failed: 1 });
    clock.advance({ minutes: 5 });
    expect((await mailwright.history.retry([id])).requeued).toEqual([id]);
    expect(await mailwright.distributor.runOnce()).toMatchObject({ sent: 1 });
    expect(standIn.graph.sent).toHaveLength(1);
    const entry = await mailwright.history.get(id);
    expect(entry?.attemptLog.map((a) => a.outcome)).toEqual(['failed', 'requeued', 'sent']);
    expect(entry?.response).toContain('Found in the mailbox');
  });
});
