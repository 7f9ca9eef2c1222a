// @vitest-environment happy-dom
import '../lit-quiet.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClPrintToolbar } from '../../../client/print/cl-print-toolbar.ts';
import '../../../client/print/cl-print-toolbar.ts';
import type {
  PrintAction,
  PrintPrefsChange,
  PrintTargetChange,
} from '../../../client/print/print-events.ts';
import { DEFAULT_PRINT_PREFS, type PrintPrefs } from '../../../client/storage/print-prefs.ts';

afterEach(() => document.body.replaceChildren());

async function mount(prefs: PrintPrefs = DEFAULT_PRINT_PREFS) {
  const el = document.createElement('cl-print-toolbar') as ClPrintToolbar;
  el.prefs = prefs;
  el.branches = [{ id: 'b1', name: '机关党支部' }];
  el.versions = [{ id: 'v1', name: '审定稿', by: '张三', at: '2023-04-10', taskCount: 13 }];
  document.body.append(el);
  await el.updateComplete;
  const events: Event[] = [];
  for (const t of ['print-prefs-change', 'print-target-change', 'print-action'])
    el.addEventListener(t, (e) => events.push(e));
  return { el, root: el.shadowRoot!, events };
}

const checkbox = (root: ShadowRoot, label: string) =>
  [...root.querySelectorAll('label')]
    .find((l) => l.textContent?.trim() === label)!
    .querySelector<HTMLInputElement>('input')!;

describe('cl-print-toolbar', () => {
  it('changes the columns in the table order, and never leaves none', async () => {
    const { root, events, el } = await mount();
    const measures = checkbox(root, '具体措施');
    measures.checked = false;
    measures.dispatchEvent(new Event('change'));
    const prefs = (events[0] as PrintPrefsChange).prefs;
    expect(prefs.columns).toEqual([
      'seq',
      'title',
      'lead',
      'owners',
      'assignee',
      'deadline',
      'notes',
    ]);

    el.prefs = { ...DEFAULT_PRINT_PREFS, columns: ['title'] };
    await el.updateComplete;
    expect(checkbox(root, '工作任务').disabled).toBe(true);
  });

  it('asks for a version, a branch, printing and exports', async () => {
    const { root, events } = await mount();
    const [version, branch] = root.querySelectorAll('select');
    version!.value = 'v1';
    version!.dispatchEvent(new Event('change'));
    branch!.value = 'b1';
    branch!.dispatchEvent(new Event('change'));
    const targets = events.filter((e): e is PrintTargetChange => e.type === 'print-target-change');
    expect(targets.map((e) => [e.version, e.branch])).toEqual([
      ['v1', null],
      [null, 'b1'],
    ]);
    for (const b of root.querySelectorAll('button')) b.click();
    const actions = events.filter((e): e is PrintAction => e.type === 'print-action');
    expect(actions.map((e) => e.action)).toEqual(['print', 'xlsx', 'docx', 'csv']);
  });

  it('switches orientation and the 附件 and signature options', async () => {
    const { root, events } = await mount();
    checkbox(root, '纵向').dispatchEvent(new Event('change'));
    const sig = checkbox(root, '签字栏');
    sig.checked = true;
    sig.dispatchEvent(new Event('change'));
    const prefs = events.map((e) => (e as PrintPrefsChange).prefs);
    expect(prefs[0]?.orientation).toBe('portrait');
    expect(prefs[1]?.signature).toBe(true);
  });
});
