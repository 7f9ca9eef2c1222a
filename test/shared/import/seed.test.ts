import { describe, expect, it } from 'vitest';
import { importPolicyText } from '../../../shared/import/index.ts';
import { at, fixture, shape } from './helpers.ts';

// The real document: 《2023年关于加强党风廉政建设和反腐败工作的实施意见》.
const outline = importPolicyText(fixture('2023-party-conduct-implementation-opinions.txt'));

describe('the 2023 implementation opinion (the seed)', () => {
  it('reads the title from the first line', () => {
    expect(outline.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
  });

  it('keeps the opening paragraph as the preamble, not as a task', () => {
    expect(outline.preamble.startsWith('2023年是贯彻党的二十大精神的开局之年')).toBe(true);
    expect(outline.preamble.endsWith('制定本实施意见。')).toBe(true);
  });

  it('has the three sections, six items and thirteen points of the document', () => {
    expect(shape(outline.nodes)).toEqual([
      ['一、', '总体思路'],
      [
        '二、',
        '工作要求',
        [
          [
            '（一）',
            '忠诚拥护“两个确立”，坚决做到“两个维护”',
            [
              ['一是', '加强理论武装'],
              ['二是', '强化廉政教育'],
              ['三是', '严肃党内政治生活'],
            ],
          ],
          [
            '（二）',
            '深化全面从严治党，推动管党治党责任落实',
            [
              ['一是', '强化主体责任落实'],
              ['二是', '严格落实“一岗双责”'],
              ['三是', '压实管党治党职责'],
            ],
          ],
          [
            '（三）',
            '强化监督制约，夯实拒腐防变基础',
            [
              ['一是', '深化作风突出问题集中整治行动成果'],
              ['二是', '持续开展党风廉政建设活动'],
              ['三是', '健全完善监督管理体系'],
              ['四是', '切实抓好巡察反馈问题整改'],
            ],
          ],
        ],
      ],
      [
        '三、',
        '保障措施',
        [
          ['（一）', '加强组织领导'],
          ['（二）', '细化工作措施'],
          ['（三）', '抓好督促检查'],
        ],
      ],
    ]);
  });

  it('gives 总体思路 its guiding text as body and no children', () => {
    const s = at(outline.nodes, 0);
    expect(s.body.startsWith('以习近平新时代中国特色社会主义思想为指导')).toBe(true);
    expect(s.body.endsWith('提供坚强保障。')).toBe(true);
  });

  it('gives each point the measures that follow its title, up to the next point', () => {
    const first = at(outline.nodes, 1, 0, 0);
    expect(first.body.startsWith('结合党组理论学习中心组、“三会一课”')).toBe(true);
    expect(first.body.endsWith('做到绝对忠诚可靠。')).toBe(true);
    const last = at(outline.nodes, 1, 2, 3);
    expect(last.body.startsWith('高度重视县委巡察反馈问题整改工作')).toBe(true);
    expect(last.body.endsWith('助推xx事业发展。')).toBe(true);
  });

  it('does not take （党组） inside a book title for an owner', () => {
    const point = at(outline.nodes, 1, 1, 2);
    expect(point.body).toContain('《党委（党组）落实全面从严治党主体责任规定》');
    expect(point.owners).toBeUndefined();
    expect(point.lead).toBeUndefined();
  });

  it('gives an item without points its text as body', () => {
    const item = at(outline.nodes, 2, 0);
    expect(item.body.startsWith('要把党风廉政建设和反腐败工作纳入总体工作格局')).toBe(true);
    expect(item.children).toEqual([]);
  });

  it('has no warnings: it is a work plan with unbroken numbering', () => {
    expect(outline.warnings).toEqual([]);
  });
});
