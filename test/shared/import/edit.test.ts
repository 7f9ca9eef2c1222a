import { describe, expect, it } from 'vitest';
import {
  changeLevel,
  countOutline,
  dropNode,
  formatOutlineCounts,
  importPolicyText,
  isOutlineTask,
  mergeIntoPrevious,
  nodeAt,
  outlineEntries,
  splitNode,
  updateNode,
  type Outline,
} from '../../../shared/import/index.ts';
import { fixture, shape } from './helpers.ts';

const seed = importPolicyText(fixture('2023-party-conduct-implementation-opinions.txt'));

const small = (): Outline =>
  importPolicyText(
    [
      '某局2024年工作要点',
      '一、加强学习',
      '（一）集中学习。每月一次。',
      '（二）个人自学。每人每年撰写心得。二是开展研讨。每季度一次。',
      '二、强化监督',
      '（一）谈心谈话。落实谈心谈话制度。',
      '（二）廉政提醒。节前开展廉政提醒，推动工作落实。',
    ].join('\n'),
  );

describe('counts for the preview', () => {
  it('counts the seed as 3 sections, 6 items and 13 tasks', () => {
    expect(countOutline(seed)).toEqual({ sections: 3, items: 6, tasks: 13 });
    expect(formatOutlineCounts(countOutline(seed))).toBe('3 个部分 · 6 项 · 13 项任务');
    expect(formatOutlineCounts(countOutline(seed), 'en')).toBe('3 sections · 6 items · 13 tasks');
  });

  it('does not count guiding text (一、总体思路) or a node with points as a task', () => {
    expect(isOutlineTask(seed, [0])).toBe(false);
    expect(isOutlineTask(seed, [1, 0])).toBe(false);
    expect(isOutlineTask(seed, [1, 0, 0])).toBe(true);
    expect(isOutlineTask(seed, [2, 1])).toBe(true);
  });

  it('lists the rows of the preview tree in reading order, with paths and task flags', () => {
    const rows = outlineEntries(seed);
    expect(rows).toHaveLength(19);
    expect(rows.slice(0, 4).map((r) => [r.path, r.depth, r.node.title, r.isTask])).toEqual([
      [[0], 1, '总体思路', false],
      [[1], 1, '工作要求', false],
      [[1, 0], 2, '忠诚拥护“两个确立”，坚决做到“两个维护”', false],
      [[1, 0, 0], 3, '加强理论武装', true],
    ]);
    expect(rows.filter((r) => r.isTask)).toHaveLength(13);
  });

  it('counts guiding text as a task once it names who is responsible', () => {
    const o = importPolicyText(
      '一、总体要求\n坚持问题导向，推动工作落实。\n责任单位：办公室\n二、重点任务\n（一）加强学习。每月组织学习。',
    );
    expect(countOutline(o)).toEqual({ sections: 2, items: 1, tasks: 2 });
  });

  it('counts every row of a flat task table as a task', () => {
    const table = importPolicyText(fixture('task-division.txt'));
    expect(countOutline(table).tasks).toBe(4);
  });
});

describe('preview edits', () => {
  it('indents a node under the sibling above it, and outdents it back', () => {
    const o = small();
    const indented = changeLevel(o, [0, 1], 'in');
    expect(shape(indented.nodes)[0]).toEqual([
      '一、',
      '加强学习',
      [['（一）', '集中学习', [['（二）', '个人自学']]]],
    ]);
    expect(changeLevel(indented, [0, 0, 0], 'out').nodes).toEqual(o.nodes);
  });

  it('outdenting keeps reading order: later siblings become the moved node’s children', () => {
    const o = small();
    const out = changeLevel(o, [1, 0], 'out');
    expect(shape(out.nodes)).toEqual([
      [
        '一、',
        '加强学习',
        [
          ['（一）', '集中学习'],
          ['（二）', '个人自学'],
        ],
      ],
      ['二、', '强化监督'],
      ['（一）', '谈心谈话', [['（二）', '廉政提醒']]],
    ]);
  });

  it('returns the same outline when an edit is impossible, and never changes its input', () => {
    const o = small();
    const before = JSON.stringify(o);
    expect(changeLevel(o, [0], 'in')).toBe(o);
    expect(changeLevel(o, [0], 'out')).toBe(o);
    expect(mergeIntoPrevious(o, [0])).toBe(o);
    expect(dropNode(o, [9])).toBe(o);
    expect(splitNode(o, [0, 0], 0)).toBe(o);
    changeLevel(o, [0, 1], 'in');
    mergeIntoPrevious(o, [1]);
    splitNode(o, [0, 1], 3);
    dropNode(o, [0]);
    expect(JSON.stringify(o)).toBe(before);
  });

  it('merges a wrongly split node into the one before it in reading order', () => {
    const o = small();
    const merged = mergeIntoPrevious(o, [1, 0]);
    // （一）谈心谈话 is the first child of 二、, so it goes back into 二、's text.
    expect(nodeAt(merged, [1])?.body).toBe('（一）谈心谈话。落实谈心谈话制度。');
    expect(shape(merged.nodes)[1]).toEqual(['二、', '强化监督', [['（二）', '廉政提醒']]]);
    const intoSibling = mergeIntoPrevious(o, [0, 1]);
    expect(nodeAt(intoSibling, [0, 0])?.body).toBe(
      '每月一次。\n（二）个人自学。每人每年撰写心得。二是开展研讨。每季度一次。',
    );
  });

  it('splits a node at a place in its body, taking the label and title from the text', () => {
    const o = small();
    const item = nodeAt(o, [0, 1]);
    expect(item?.body).toBe('每人每年撰写心得。二是开展研讨。每季度一次。');
    const split = splitNode(o, [0, 1], (item?.body ?? '').indexOf('二是'));
    expect(nodeAt(split, [0, 1])).toMatchObject({ title: '个人自学', body: '每人每年撰写心得。' });
    expect(nodeAt(split, [0, 2])).toEqual({
      number: '二是',
      title: '开展研讨',
      body: '每季度一次。',
      children: [],
    });
  });

  it('drops a node with its children, or lifts the children into its place', () => {
    const o = small();
    expect(shape(dropNode(o, [0]).nodes)).toEqual(shape(o.nodes).slice(1));
    expect(shape(dropNode(o, [0], { keepChildren: true }).nodes).slice(0, 2)).toEqual([
      ['（一）', '集中学习'],
      ['（二）', '个人自学'],
    ]);
  });

  it('changes a node’s fields and keeps its children', () => {
    const o = updateNode(small(), [0], { title: '加强政治学习', owners: ['办公室'] });
    expect(nodeAt(o, [0])).toMatchObject({ title: '加强政治学习', owners: ['办公室'] });
    expect(nodeAt(o, [0])?.children).toHaveLength(2);
  });
});
