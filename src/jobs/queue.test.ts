import { retriedOnDeadlock } from './queue';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('setting up queues while another server does', () => {
  it('tries again after PostgreSQL breaks a deadlock, until the work is done', async () => {
    let calls = 0;
    await retriedOnDeadlock(() => {
      calls++;
      return calls < 3 ? Promise.reject(deadlock()) : Promise.resolve();
    });
    expect(calls).toBe(3);
  });

  it('gives up after five deadlocks, and never retries any other error', async () => {
    let calls = 0;
    await expect(
      retriedOnDeadlock(() => {
        calls++;
        return Promise.reject(deadlock());
      }),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(calls).toBe(5);
    calls = 0;
    const other = Object.assign(new Error('no such table'), { code: '42P01' });
    await expect(
      retriedOnDeadlock(() => {
        calls++;
        return Promise.reject(other);
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
