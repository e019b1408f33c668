/** The session cookie of a response, as a request sends it back. */
const cookieOf = (res: Response) => res.headers.getSetCookie()[0]?.split(';')[0];

/** Signs in through the dev sign-in form, as a person would, and gives the session cookie. */
export async function signIn(url: string, userId: number): Promise<string> {
  const page = await fetch(`${url}/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  const first = cookieOf(page);
  if (!csrf || !first) throw new Error('the sign-in page has no CSRF token or session');
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, userId: String(userId), returnTo: '/' }),
  });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  return cookieOf(res) ?? first;
}

/** Milliseconds for a GET of the whole page, refusing anything but a 200. */
export async function timedGet(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const count = (value: number) => value.toLocaleString('en-GB');
