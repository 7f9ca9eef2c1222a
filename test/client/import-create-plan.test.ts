// @vitest-environment happy-dom
import './lit-quiet.ts';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importPolicyText, isImportError, readPlan } from '../../shared/index.ts';
import { createImportedPlan } from '../../client/import/create-plan.ts';
import { loadDocState } from '../../client/storage/doc-persistence.ts';
import { listDevicePlans } from '../../client/storage/device.ts';

const TEXT = ['2024年工作要点', '一、加强组织建设', '（一）健全制度。', '（二）压实责任。'].join(
  '\n',
);

async function stored(id: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadDocState(id))!);
  const plan = readPlan(doc);
  doc.destroy();
  return plan;
}

describe('createImportedPlan', () => {
  it('stores a new plan on this device and lists it', async () => {
    const id = await createImportedPlan(importPolicyText(TEXT), {
      title: ' 组织建设清单 ',
      actor: { name: '张三', at: '2024-01-02T03:04:05.000Z' },
    });
    const plan = await stored(id);
    expect(plan.title).toBe('组织建设清单');
    expect(plan.tasks.map((t) => t.title)).toEqual(['加强组织建设']);
    expect(plan.tasks[0]!.children.map((t) => t.title)).toEqual(['健全制度', '压实责任']);
    expect((await listDevicePlans()).find((p) => p.id === id)?.title).toBe('组织建设清单');
  });

  it('refuses an id this device already holds, and leaves that plan as it was', async () => {
    const id = await createImportedPlan(importPolicyText(TEXT));
    const before = await loadDocState(id);
    const error = await createImportedPlan(importPolicyText(TEXT), { id }).catch((e: unknown) => e);
    expect(isImportError(error, 'plan-not-empty')).toBe(true);
    expect(await loadDocState(id)).toEqual(before);
    expect((await stored(id)).tasks).toHaveLength(1);
  });
});
