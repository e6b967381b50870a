import { RequestLimiter } from './request-limiter';

describe('RequestLimiter', () => {
  it('keeps at most N in flight, serves waiters in order, and survives failures', async () => {
    const limiter = new RequestLimiter(2);
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) =>
      limiter.run(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        order.push(i);
        if (i === 1) throw new Error('boom');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(job));
    expect(most).toBe(2);
    expect(limiter.peak).toBe(2);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(order.slice(2)).toEqual([2, 3, 4]);
    await expect(limiter.run(() => Promise.resolve('again'))).resolves.toBe('again');
  });
});
