import { createIdentityCache } from './identity-cache';

/** A listener the test controls: whether it is listening, and a change it announces. */
function fakeListener() {
  const state = { listening: true, started: 0, announce: () => {} };
  return {
    state,
    make: (onChange: () => void) => {
      state.announce = onChange;
      return {
        get listening() {
          return state.listening;
        },
        start: () => {
          state.started++;
          return Promise.resolve();
        },
        close: async () => {},
      };
    },
  };
}

function counting<T>(value: T | undefined) {
  const calls = { n: 0 };
  return {
    calls,
    load: () => {
      calls.n++;
      return Promise.resolve(value);
    },
  };
}

describe('the identity cache', () => {
  it('keeps what it loaded while it hears of every change, until a change is announced', async () => {
    const listener = fakeListener();
    const cache = createIdentityCache({ listener: listener.make });
    const { calls, load } = counting({ id: 1 });
    await cache.through('user:1', load);
    await cache.through('user:1', load);
    expect(calls.n).toBe(1);
    listener.state.announce();
    await cache.through('user:1', load);
    expect(calls.n).toBe(2);
    expect(listener.state.started).toBeGreaterThan(0);
  });

  it('keeps nothing while it is not listening (a change could go unheard)', async () => {
    const listener = fakeListener();
    listener.state.listening = false;
    const cache = createIdentityCache({ listener: listener.make });
    const { calls, load } = counting({ id: 1 });
    await cache.through('user:1', load);
    await cache.through('user:1', load);
    expect(calls.n).toBe(2);
  });

  it('never keeps something missing: an unknown token is looked up every time', async () => {
    const cache = createIdentityCache({ listener: fakeListener().make });
    const { calls, load } = counting<{ id: number }>(undefined);
    await cache.through('token:x', load);
    await cache.through('token:x', load);
    expect(calls.n).toBe(2);
  });

  it('does not keep a value loaded while a change was announced (it may be from before the change)', async () => {
    const listener = fakeListener();
    const cache = createIdentityCache({ listener: listener.make });
    let calls = 0;
    const load = () => {
      calls++;
      if (calls === 1) listener.state.announce();
      return Promise.resolve({ id: 1 });
    };
    await cache.through('user:1', load);
    await cache.through('user:1', load);
    expect(calls).toBe(2);
  });

  it('forgets an entry after its time, and everything on clear', async () => {
    let now = 0;
    const cache = createIdentityCache({ listener: fakeListener().make, ttlMs: 1000, now: () => now });
    const { calls, load } = counting({ id: 1 });
    await cache.through('user:1', load);
    now = 999;
    await cache.through('user:1', load);
    expect(calls.n).toBe(1);
    now = 1000;
    await cache.through('user:1', load);
    expect(calls.n).toBe(2);
    cache.clear();
    await cache.through('user:1', load);
    expect(calls.n).toBe(3);
  });
});
