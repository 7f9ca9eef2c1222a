import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importPolicyText, isImportError } from '../../../shared/import/index.ts';
import { shape, type Shape } from './helpers.ts';

const VERBS = ['加强', '推进', '深化', '落实', '健全', '完善', '强化', '规范', '提升', '严格'];
const OBJECTS = [
  '理论学习',
  '组织建设',
  '作风建设',
  '廉政教育',
  '督促检查',
  '制度建设',
  '队伍建设',
  '安全生产',
  '服务水平',
  '风险防控',
];
const SENTENCES = [
  '每月组织一次集中学习，做好学习记录。',
  '建立工作台账，实行销号管理，确保按期完成。',
  '对照年度目标，细化工作措施，明确责任分工。',
  '定期调度工作进展，及时研究解决存在的问题。',
  '严格执行请示报告制度，重大事项及时报告。',
];
const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 1 → 一, 10 → 十, 12 → 十二, 24 → 二十四. */
const han = (n: number): string =>
  n < 10 ? (DIGITS[n] ?? '') : `${n >= 20 ? DIGITS[Math.floor(n / 10)] : ''}十${DIGITS[n % 10]}`;

interface Gen {
  readonly title: string;
  readonly body: string;
  readonly children: readonly Gen[];
}

interface Layout {
  readonly crlf: boolean;
  readonly bom: boolean;
  readonly indent: string;
  readonly halfWidth: boolean;
  readonly itemsInline: boolean;
  readonly continueNumbering: boolean;
}

const title = fc
  .tuple(fc.constantFrom(...VERBS), fc.constantFrom(...OBJECTS))
  .map(([v, o]) => v + o);
const body = fc.array(fc.constantFrom(...SENTENCES), { maxLength: 2 }).map((s) => s.join(''));
const point: fc.Arbitrary<Gen> = fc.record({
  title,
  body: fc.constantFrom(...SENTENCES),
  children: fc.constant([]),
});
const item: fc.Arbitrary<Gen> = fc.record({
  title,
  body,
  children: fc.oneof(fc.constant([]), fc.array(point, { minLength: 2, maxLength: 4 })),
});
const section: fc.Arbitrary<Gen> = fc.record({
  title,
  body,
  children: fc.array(item, { maxLength: 4 }),
});
const layout: fc.Arbitrary<Layout> = fc.record({
  crlf: fc.boolean(),
  bom: fc.boolean(),
  indent: fc.constantFrom('', '\u3000\u3000', '  ', '\t'),
  halfWidth: fc.boolean(),
  itemsInline: fc.boolean(),
  continueNumbering: fc.boolean(),
});

/** Writes a generated outline as a document, the way offices lay them out. */
function render(sections: readonly Gen[], l: Layout): string {
  const lines = ['某县某局2024年工作要点', '', '为做好全年工作，结合实际，制定本要点。'];
  const [open, close] = l.halfWidth ? ['(', ')'] : ['（', '）'];
  let itemNo = 0;
  sections.forEach((s, i) => {
    lines.push(`${l.indent}${han(i + 1)}、${s.title}`);
    if (s.body !== '') lines.push(l.indent + s.body);
    if (!l.continueNumbering) itemNo = 0;
    for (const it of s.children) {
      const label = `${open}${han(++itemNo)}${close}`;
      const points = it.children.map((p, k) => `${han(k + 1)}是${p.title}。${p.body}`).join('');
      const text = it.body + points;
      if (l.itemsInline || text === '') lines.push(`${l.indent}${label}${it.title}。${text}`);
      else lines.push(`${l.indent}${label}${it.title}`, l.indent + text);
    }
  });
  return (l.bom ? '\uFEFF' : '') + lines.join(l.crlf ? '\r\n' : '\n');
}

function expectedShape(sections: readonly Gen[], continueNumbering: boolean): Shape[] {
  let itemNo = 0;
  return sections.map((s, i) => {
    if (!continueNumbering) itemNo = 0;
    const items: Shape[] = s.children.map((it) => {
      const label = `（${han(++itemNo)}）`;
      const points: Shape[] = it.children.map((p, k) => [`${han(k + 1)}是`, p.title]);
      return points.length > 0 ? [label, it.title, points] : [label, it.title];
    });
    return items.length > 0 ? [`${han(i + 1)}、`, s.title, items] : [`${han(i + 1)}、`, s.title];
  });
}

describe('import properties', () => {
  it('reads back the structure of any generated plan, whatever the layout', () => {
    fc.assert(
      fc.property(fc.array(section, { minLength: 2, maxLength: 6 }), layout, (sections, l) => {
        const outline = importPolicyText(render(sections, l));
        expect(outline.title).toBe('某县某局2024年工作要点');
        expect(shape(outline.nodes)).toEqual(expectedShape(sections, l.continueNumbering));
        expect(outline.warnings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('reads back labels, points and annotation lines in other styles', () => {
    const OWNERS = ['办公室', '财务股', '人事股', '各党支部', '机关党委'];
    const DEADLINES = ['2024年6月底前', '长期坚持', '2024年12月'];
    const task = fc.record({
      title,
      body,
      points: fc.oneof(
        fc.constant([] as string[]),
        fc.array(title, { minLength: 2, maxLength: 4 }),
      ),
      owners: fc.uniqueArray(fc.constantFrom(...OWNERS), { maxLength: 2 }),
      deadline: fc.option(fc.constantFrom(...DEADLINES), { nil: undefined }),
    });
    const style = fc.record({
      label: fc.constantFrom('（一）', '1.', '1、'),
      verb: fc.constantFrom('是', '要'),
      colon: fc.constantFrom('：', ':'),
    });
    const sections = fc.array(fc.record({ title, tasks: fc.array(task, { maxLength: 3 }) }), {
      minLength: 2,
      maxLength: 5,
    });
    const labelOf = (label: string, n: number): string =>
      label === '（一）' ? `（${han(n)}）` : label === '1.' ? `${n}.` : `${n}、`;
    fc.assert(
      fc.property(sections, style, (secs, st) => {
        const lines = ['某县某局2024年工作方案'];
        secs.forEach((sec, i) => {
          lines.push(`${han(i + 1)}、${sec.title}`);
          sec.tasks.forEach((t, k) => {
            const points = t.points.map((p, j) => `${han(j + 1)}${st.verb}${p}。`).join('');
            lines.push(`${labelOf(st.label, k + 1)}${t.title}。${t.body}${points}`);
            if (t.owners.length > 0) lines.push(`责任单位${st.colon}${t.owners.join('、')}`);
            if (t.deadline !== undefined) lines.push(`完成时限${st.colon}${t.deadline}`);
          });
        });
        const o = importPolicyText(lines.join('\n'));
        expect(
          o.nodes.map((n) => [
            n.title,
            n.children.map((c) => [
              c.number,
              c.title,
              c.body,
              c.owners,
              c.deadline,
              c.children.map((p) => [p.number, p.title]),
            ]),
          ]),
        ).toEqual(
          secs.map((sec) => [
            sec.title,
            sec.tasks.map((t, k) => [
              labelOf(st.label, k + 1),
              t.title,
              t.body,
              t.owners.length > 0 ? t.owners : undefined,
              t.deadline,
              t.points.map((p, j) => [`${han(j + 1)}${st.verb}`, p]),
            ]),
          ]),
        );
      }),
      { numRuns: 200 },
    );
  });

  const piece = fc.constantFrom(
    ...'一二三四五六七八九十是要、（）()。；：:.．，,\n\r\t\u3000 第章条123１２.①②工作加强落实责任单位牵头完成时限负责会同附件目录通知关于印发《》'.split(
      '',
    ),
    '一是',
    '二是',
    '（一）',
    '1.',
    '\t序号\t工作任务\t责任单位\n',
    '责任单位：',
    '完成时限：2024年6月底前',
  );
  const text = fc.array(piece, { maxLength: 300 }).map((p) => p.join(''));

  it('never throws anything but an ImportError, on any text', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 300 })), (t) => {
        try {
          importPolicyText(t);
        } catch (e) {
          if (!isImportError(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes every title from the input text', () => {
    const squeeze = (s: string): string =>
      s
        .replace(/[\s\u3000]/g, '')
        .replace(/\(/g, '（')
        .replace(/\)/g, '）');
    fc.assert(
      fc.property(text, (t) => {
        let outline;
        try {
          outline = importPolicyText(t);
        } catch (e) {
          if (isImportError(e)) return;
          throw e;
        }
        const source = squeeze(t);
        const walk = (nodes: typeof outline.nodes): void => {
          for (const n of nodes) {
            expect(source).toContain(squeeze(n.title));
            walk(n.children);
          }
        };
        walk(outline.nodes);
      }),
      { numRuns: 500 },
    );
  });
});
