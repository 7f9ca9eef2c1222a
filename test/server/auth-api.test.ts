import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { metaOf } from '../../shared/index.ts';
import { eventually } from '../helpers/eventually.ts';
import {
  connectClient,
  makeTempDir,
  openRawSocket,
  removeDir,
  startTestRelay,
  type TestRelay,
} from '../helpers/relay.ts';

let dir: string;
let relay: TestRelay;

beforeEach(async () => {
  dir = makeTempDir();
  relay = await startTestRelay({ dataDir: dir });
});

afterEach(async () => {
  await relay.close();
  removeDir(dir);
});

function api(
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown; origin?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.origin !== undefined) headers['origin'] = init.origin;
  return fetch(`${relay.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

async function seedTitled(planId: string, title: string): Promise<void> {
  const c = connectClient(relay.url.replace('http', 'ws'), planId);
  try {
    await c.synced();
    metaOf(c.doc).set('title', title);
    await eventually(async () => expect(await relay.store.logLength(planId)).toBeGreaterThan(0));
  } finally {
    c.destroy();
  }
}

describe('GET /api/plans', () => {
  test('lists every plan for an admin of every plan, one plan for others, nothing without a token', async () => {
    await seedTitled('p1', '2023年实施意见');
    await seedTitled('p2', '第二个');
    expect(await (await api('/api/plans', relay.token)).json()).toEqual([
      { id: 'p1', title: '2023年实施意见' },
      { id: 'p2', title: '第二个' },
    ]);
    // A renamed plan is listed with its new title.
    await seedTitled('p1', '2024年实施意见');
    await eventually(async () =>
      expect(await (await api('/api/plans', relay.token)).json()).toContainEqual({
        id: 'p1',
        title: '2024年实施意见',
      }),
    );
    const viewer = relay.mint({ plan: 'p2', role: 'viewer' }).token;
    expect(await (await api('/api/plans', viewer)).json()).toEqual([{ id: 'p2', title: '第二个' }]);
    const res = await api('/api/plans', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'missing token' });
    expect((await api('/api/plans', 'junk')).status).toBe(401);
  });
});

describe('GET /api/me', () => {
  test('says who the token is for, 401 once it is revoked, 403 for another plan', async () => {
    const { token, id } = relay.mint({ plan: 'p1', role: 'editor', name: '李四' });
    const res = await api('/api/me?plan=p1', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, plan: 'p1', role: 'editor', name: '李四' });
    expect((await api('/api/me?plan=p2', token)).status).toBe(403);
    relay.tokens?.revoke(id, Date.now());
    const gone = await api('/api/me?plan=p1', token);
    expect(gone.status).toBe(401);
    expect(await gone.json()).toEqual({ error: 'token revoked' });
  });
});

describe('/api/plans/ID/invites', () => {
  test('a plan admin creates an invite whose link opens the plan with its role, lists and revokes it', async () => {
    const admin = relay.mint({ plan: 'p1', role: 'admin', name: '管理员' }).token;
    const created = await api('/api/plans/p1/invites', admin, {
      method: 'POST',
      body: { role: 'viewer', name: '王五', days: 7 },
      origin: relay.url,
    });
    expect(created.status).toBe(201);
    const invite = (await created.json()) as { id: string; url: string; role: string };
    expect(invite.role).toBe('viewer');
    const m = new RegExp(`^${relay.url}/plan/p1#token=(\\S+)$`).exec(invite.url);
    expect(m).not.toBeNull();
    const token = m![1]!;
    const ws = await openRawSocket(relay.url.replace('http', 'ws'), '/p1', 5000, { token });
    ws.terminate();

    const list = (await (await api('/api/plans/p1/invites', admin)).json()) as {
      id: string;
      revokedAt: string | null;
    }[];
    expect(list.map((t) => t.id)).toContain(invite.id);
    expect(JSON.stringify(list)).not.toContain(token);

    const del = await api(`/api/plans/p1/invites/${invite.id}`, admin, {
      method: 'DELETE',
      origin: relay.url,
    });
    expect(del.status).toBe(204);
    await expect(
      openRawSocket(relay.url.replace('http', 'ws'), '/p1', 5000, { token }),
    ).rejects.toThrow(/401/);
    const after = (await (await api('/api/plans/p1/invites', admin)).json()) as {
      id: string;
      revokedAt: string | null;
    }[];
    expect(after.find((t) => t.id === invite.id)?.revokedAt).not.toBeNull();
  });

  test('editors, viewers and other plans’ admins cannot manage invites; bad input is refused', async () => {
    const editor = relay.mint({ plan: 'p1', role: 'editor' }).token;
    const otherAdmin = relay.mint({ plan: 'p2', role: 'admin' }).token;
    const p1Admin = relay.mint({ plan: 'p1', role: 'admin' });
    expect((await api('/api/plans/p1/invites', editor)).status).toBe(403);
    expect((await api('/api/plans/p1/invites', otherAdmin)).status).toBe(403);
    expect((await api('/api/plans/p1/invites', null)).status).toBe(401);
    expect(
      (
        await api('/api/plans/p1/invites', editor, {
          method: 'POST',
          body: { role: 'admin', name: 'me' },
        })
      ).status,
    ).toBe(403);
    // An admin of p2 cannot revoke p1's tokens, even knowing an id.
    expect(
      (await api(`/api/plans/p2/invites/${p1Admin.id}`, otherAdmin, { method: 'DELETE' })).status,
    ).toBe(404);
    for (const body of [{ role: 'owner', name: 'x' }, { role: 'viewer' }, 'junk']) {
      const res = await api('/api/plans/p1/invites', relay.token, { method: 'POST', body });
      expect(res.status).toBe(400);
    }
    // The admin of every plan may; another site's page may not.
    expect(
      (
        await api('/api/plans/p1/invites', relay.token, {
          method: 'POST',
          body: { role: 'viewer', name: 'x' },
          origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403);
  });
});
