// @vitest-environment happy-dom
import '../lit-quiet.ts';
import 'fake-indexeddb/auto';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  checkToken,
  decodeInvite,
  takeTokenFromLocation,
  tokenFromText,
} from '../../../client/sync/invite.ts';
import { AccessWatch } from '../../../client/sync/access.ts';
import { keepInvite } from '../../../client/sync/take-invite.ts';
import { listTokens, loadToken } from '../../../client/storage/tokens.ts';

const enc = (o: object): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function token(claims: Record<string, unknown>): string {
  const c = { plan: 'p1', role: 'editor', name: '李四', jti: 'id-1', iat: 1, exp: 4e9, ...claims };
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(c)}.c2lnbmF0dXJl`;
}

describe('invite links', () => {
  it('reads the claims of a token (names in Chinese included), and nothing else', () => {
    expect(decodeInvite(token({ role: 'viewer', name: '王五' }))).toEqual({
      plan: 'p1',
      role: 'viewer',
      name: '王五',
      jti: 'id-1',
      exp: 4e9,
    });
    expect(decodeInvite(token({ plan: '*', role: 'admin' }))?.plan).toBe('*');
    for (const bad of ['', 'junk', 'a.b', token({ role: 'owner' }), token({ plan: '../x' })])
      expect(decodeInvite(bad)).toBeNull();
  });

  it('takes a token from a pasted link, a fragment or a bare token', () => {
    const t = token({});
    expect(tokenFromText(`  https://qingdan.example/plan/p1#token=${t}\n`)).toBe(t);
    expect(tokenFromText(`#token=${t}`)).toBe(t);
    expect(tokenFromText(t)).toBe(t);
    expect(tokenFromText('https://qingdan.example/plan/p1')).toBeNull();
    expect(tokenFromText('#token=junk')).toBeNull();
  });

  it('takes the token out of the address bar', () => {
    const t = token({});
    history.replaceState(null, '', `/plan/p1?x=1#token=${t}`);
    expect(takeTokenFromLocation()).toBe(t);
    expect(location.hash).toBe('');
    expect(location.pathname + location.search).toBe('/plan/p1?x=1');
    expect(takeTokenFromLocation()).toBeNull();
  });

  it('keeps tokens per plan, with one for every plan as the fallback', async () => {
    const own = token({ plan: 'p1' });
    const all = token({ plan: '*', role: 'admin', jti: 'id-2' });
    expect(await loadToken('p1')).toBeNull();
    expect(await keepInvite(all)).toBe('*');
    expect(await loadToken('p1')).toBe(all);
    expect(await keepInvite(own)).toBe('p1');
    expect(await loadToken('p1')).toBe(own);
    expect(await loadToken('p2')).toBe(all);
    expect((await listTokens()).sort()).toEqual([own, all].sort());
    expect(await keepInvite('junk')).toBeNull();
  });

  it('asks the relay what a token is worth', async () => {
    const answer =
      (status: number): typeof fetch =>
      () =>
        Promise.resolve(new Response('{}', { status }));
    expect(await checkToken('t', 'p1', answer(200))).toBe('ok');
    expect(await checkToken('t', 'p1', answer(401))).toBe('refused');
    expect(await checkToken('t', 'p1', answer(403))).toBe('forbidden');
    expect(await checkToken('t', 'p1', answer(502))).toBe('unreachable');
    const body =
      (json: string): typeof fetch =>
      () =>
        Promise.resolve(new Response(json, { status: 200 }));
    expect(await checkToken('t', 'p1', body('{"id":"x","heldBackSeconds":60}'))).toBe('held-back');
    expect(await checkToken('t', 'p1', body('{"id":"x","heldBackSeconds":0}'))).toBe('ok');
    expect(await checkToken('t', 'p1', body('not json'))).toBe('ok');
    expect(await checkToken('t', 'p1', () => Promise.reject(new TypeError('offline')))).toBe(
      'unreachable',
    );
  });
});

describe('AccessWatch', () => {
  const target = (): EventTarget & { planId: string; events: number } => {
    const t = Object.assign(new EventTarget(), { planId: 'p1', events: 0 });
    t.addEventListener('access', () => (t.events += 1));
    return t;
  };

  /** A stand-in provider: its handlers by event name, and how often it was disconnected. */
  const fakeProvider = (): {
    provider: never;
    emit: (name: string, arg: unknown) => void;
    disconnected: () => number;
  } => {
    const handlers = new Map<string, (arg: unknown) => void>();
    let disconnected = 0;
    const provider = {
      on: (name: string, fn: (arg: unknown) => void) => handlers.set(name, fn),
      off: () => undefined,
      disconnect: () => (disconnected += 1),
    };
    return {
      provider: provider as never,
      emit: (name, arg) => handlers.get(name)!(arg),
      disconnected: () => disconnected,
    };
  };

  it('does not connect without a token or with an expired one, and gives the role', () => {
    const w = new AccessWatch(target());
    expect(w.begin(null)).toBe(false);
    expect(w.state).toBe('none');
    expect(w.begin(token({ exp: 100 }), 200_000)).toBe(false);
    expect(w.state).toBe('refused');
    expect(w.begin(token({ role: 'viewer' }))).toBe(true);
    expect(w.state).toBe('ok');
    expect(w.role).toBe('viewer');
    expect(w.protocols()).toEqual({
      protocols: ['qingdan', `qingdan-token.${token({ role: 'viewer' })}`],
    });
  });

  it('stops the provider when the relay closes with 4401 or 4403', () => {
    const t = target();
    const w = new AccessWatch(t);
    w.begin(token({}));
    const { provider, emit, disconnected } = fakeProvider();
    w.watch(provider);
    emit('status', { status: 'connected' });
    emit('connection-close', null);
    emit('closed', { code: 4401, reason: 'token revoked' });
    expect(w.state).toBe('refused');
    expect(disconnected()).toBe(1);
    emit('closed', { code: 4403, reason: 'read-only' });
    expect(w.state).toBe('read-only');
    expect(t.events).toBe(2);
    w.dispose();
  });

  /** A watched provider on a fake clock: `attempt` connects, waits `lasts` ms, closes with `code`. */
  const watchedOnClock = (): {
    t: ReturnType<typeof target>;
    w: AccessWatch;
    attempt: (code: number, lasts?: number) => void;
    disconnected: () => number;
  } => {
    const t = target();
    let now = 0;
    const w = new AccessWatch(t, () => now);
    w.begin(token({}));
    const { provider, emit, disconnected } = fakeProvider();
    w.watch(provider);
    const attempt = (code: number, lasts = 50): void => {
      emit('status', { status: 'connected' });
      now += lasts;
      emit('connection-close', { code });
      now += 1000;
    };
    return { t, w, attempt, disconnected };
  };

  it('stops retrying after three refusals (1007) in a row, each soon after connecting', () => {
    const { t, w, attempt, disconnected } = watchedOnClock();
    // Two refusals, then a close for another reason: the count starts over.
    attempt(1007);
    attempt(1007);
    attempt(1006);
    // A refusal long after connecting (a new edit went wrong) counts as the first.
    attempt(1007);
    attempt(1007);
    attempt(1007, 60_000);
    attempt(1007);
    expect(w.state).toBe('ok');
    expect(disconnected()).toBe(0);
    attempt(1007);
    expect(w.state).toBe('rejected');
    expect(disconnected()).toBe(1);
    expect(t.events).toBe(1);
    w.dispose();
  });

  it('counts a message over the relay’s size limit (1009) as a refusal too', () => {
    const { w, attempt, disconnected } = watchedOnClock();
    attempt(1009);
    attempt(1007);
    expect(w.state).toBe('ok');
    attempt(1009);
    expect(w.state).toBe('rejected');
    expect(disconnected()).toBe(1);
    w.dispose();
  });

  it('stops when a connection that never opened is the relay holding this device back', async () => {
    const asked: string[] = [];
    let heldBack = 0;
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      const body = { id: 'id-1', ...(heldBack > 0 ? { heldBackSeconds: heldBack } : {}) };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    });
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    const w = new AccessWatch(target());
    w.begin(token({}));
    const { provider, emit, disconnected } = fakeProvider();
    w.watch(provider);
    // The check's fetch and body are promises: a macrotask later they are done.
    const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

    // The relay is unreachable, or the token is fine: the provider keeps trying.
    emit('connection-close', { code: 1006 });
    await settled();
    expect(asked).toEqual(['/api/me?plan=p1']);
    expect(w.state).toBe('ok');
    expect(disconnected()).toBe(0);

    heldBack = 60;
    emit('connection-close', { code: 1006 });
    await settled();
    expect(asked).toHaveLength(2);
    expect(w.state).toBe('rejected');
    expect(disconnected()).toBe(1);
    w.dispose();

    // A viewer is held back for its own changes, which the relay never takes: it says that.
    const viewer = new AccessWatch(target());
    viewer.begin(token({ role: 'viewer' }));
    const watched = fakeProvider();
    viewer.watch(watched.provider);
    watched.emit('connection-close', { code: 1006 });
    await settled();
    expect(viewer.state).toBe('read-only');
    expect(watched.disconnected()).toBe(1);
    viewer.dispose();
  });
});

describe('a viewer’s session', () => {
  it('refuses every edit, while an editor’s applies', async () => {
    const { PlanSession } = await import('../../../client/plan-session.ts');
    const { metaOf } = await import('../../../shared/index.ts');
    const profile = { name: '王五', branch: '机关党支部' };
    const viewer = new PlanSession(`plan-${Math.random().toString(36).slice(2)}`, profile);
    await viewer.open({ connect: false, token: token({ role: 'viewer' }) });
    expect(viewer.readOnly).toBe(true);
    expect(viewer.role).toBe('viewer');
    expect(viewer.edit(() => metaOf(viewer.doc).set('title', 'x'))).toBeUndefined();
    expect(metaOf(viewer.doc).get('title')).toBeUndefined();
    await viewer.dispose();

    const editor = new PlanSession(`plan-${Math.random().toString(36).slice(2)}`, profile);
    await editor.open({ connect: false, token: token({ role: 'editor' }) });
    expect(editor.readOnly).toBe(false);
    editor.edit(() => metaOf(editor.doc).set('title', 'x'));
    expect(metaOf(editor.doc).get('title')).toBe('x');
    await editor.dispose();
  });
});
