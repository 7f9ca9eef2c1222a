import { describe, expect, it } from 'vitest';
import { importPolicyText } from '../../../shared/import/index.ts';
import { at, fixture, shape, titles } from './helpers.ts';

describe('工作要点: numbering across sections, inline points, owners', () => {
  const o = importPolicyText(fixture('work-points.txt'));

  it('keeps item numbering that continues across sections, and points under a section', () => {
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '强化政治建设',
        [
          ['（一）', '加强政治理论学习'],
          ['（二）', '严明政治纪律和政治规矩'],
        ],
      ],
      [
        '二、',
        '加强组织建设',
        [
          [
            '（三）',
            '规范组织生活',
            [
              ['一是', '落实“三会一课”制度'],
              ['二是', '开展主题党日活动'],
            ],
          ],
          ['（四）', '加强党员队伍建设'],
        ],
      ],
      [
        '三、',
        '深化作风建设',
        [
          ['一要', '加强作风纪律教育'],
          ['二要', '持续整治形式主义官僚主义'],
          ['三要', '加强监督检查'],
        ],
      ],
    ]);
  });

  it('reads a trailing （A、B负责） as the owners, in order, and drops it from the text', () => {
    const item = at(o.nodes, 0, 0);
    expect(item.owners).toEqual(['办公室', '各党支部']);
    expect(item.body).toBe('坚持党组理论学习中心组每月集中学习制度，全年集中学习不少于12次。');
  });

  it('does not split the idiom 一是一、二是二 into points', () => {
    const item = at(o.nodes, 0, 1);
    expect(item.children).toEqual([]);
    expect(item.body).toContain('做到一是一、二是二');
    expect(item.owners).toEqual(['机关党委']);
  });

  it('does not take 统一是非 for a point', () => {
    expect(at(o.nodes, 2, 2).body).toBe('对照中央八项规定精神，统一是非标准，开展明察暗访。');
  });

  it('reads “A会同有关部门负责” as lead A', () => {
    const item = at(o.nodes, 1, 1);
    expect(item.lead).toBe('人事股');
    expect(item.owners).toEqual(['人事股']);
    expect(item.body).toBe('严格发展党员程序，做好党员教育管理。');
  });
});

describe('工作方案: headings alone on a line, wrapped text, annotation lines, sign-off', () => {
  const o = importPolicyText(fixture('work-plan.txt'));

  it('reads three levels 一、 （一） 1./（1） and joins a heading wrapped onto two lines', () => {
    expect(shape(o.nodes)).toEqual([
      ['一、', '工作目标'],
      [
        '二、',
        '重点任务',
        [
          [
            '（一）',
            '开展特种设备安全隐患排查整治专项行动',
            [
              ['1.', '摸清底数'],
              ['2.', '集中整治'],
            ],
          ],
          [
            '（二）',
            '加强食品安全监管',
            [
              ['（1）', '校园食品安全'],
              ['（2）', '农村集体聚餐'],
            ],
          ],
        ],
      ],
      [
        '三、',
        '保障措施',
        [
          ['（一）', '加强组织领导'],
          ['（二）', '强化督导考核'],
        ],
      ],
    ]);
  });

  it('joins hard-wrapped body lines back into one paragraph', () => {
    expect(at(o.nodes, 0).body).toBe(
      '全年不发生较大及以上安全生产事故，一般事故起数和死亡人数实现“双下降”，安全生产形势持续稳定向好。',
    );
    expect(at(o.nodes, 1, 0, 0).body).toBe(
      '对全县电梯、锅炉、压力容器等特种设备逐台登记造册，建立隐患台账，实行销号管理。',
    );
  });

  it('attaches 牵头单位/责任单位/完成时限 lines to the node they follow', () => {
    expect(at(o.nodes, 1, 0, 0)).toMatchObject({
      lead: '特种设备股',
      owners: ['特种设备股', '各市场监管所', '执法大队'],
      deadline: '2024年6月底前',
    });
  });

  it('reads annotations with half-width colons and semicolons on one line', () => {
    expect(at(o.nodes, 1, 0, 1)).toMatchObject({
      lead: '特种设备股',
      owners: ['特种设备股', '执法大队'],
      deadline: '2024年10月',
    });
  });

  it('keeps a deadline in words as written', () => {
    expect(at(o.nodes, 1, 1, 1)).toMatchObject({
      owners: ['各市场监管所'],
      deadline: '长期坚持',
    });
    expect(at(o.nodes, 1, 1, 0).owners).toEqual(['食品安全股']);
  });

  it('leaves the signature, the date and （此件公开发布） out of the last task', () => {
    expect(at(o.nodes, 2, 1).body).toBe('将安全生产工作纳入年度考核，对工作不力的严肃问责。');
    expect(titles(o.nodes).join()).not.toContain('此件公开发布');
  });
});

describe('整改方案 with a tab-separated table', () => {
  const o = importPolicyText(fixture('rectification-plan.txt'));

  it('makes one node per table row under the heading above the table', () => {
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '整改任务',
        [
          ['1', '理论学习不够深入，学用结合不紧'],
          ['2', '“三重一大”制度执行不严格'],
          ['3', '项目资金监管存在薄弱环节'],
        ],
      ],
      [
        '二、',
        '保障措施',
        [
          ['（一）', '加强组织领导'],
          ['（二）', '强化督促检查'],
        ],
      ],
    ]);
  });

  it('maps 整改措施/责任领导/责任单位/完成时限 to body, lead, owners, deadline', () => {
    expect(at(o.nodes, 0, 1)).toEqual({
      number: '2',
      title: '“三重一大”制度执行不严格',
      body: '修订“三重一大”决策制度，建立会议纪要台账',
      lead: '李华',
      owners: ['办公室', '财务股'],
      deadline: '2024年9月30日',
      children: [],
    });
  });
});

describe('a table whose owner cell marks the lead unit', () => {
  it('reads 办公室（牵头） as the lead', () => {
    const o = importPolicyText(
      '序号\t工作任务\t责任单位\t完成时限\n1\t加强学习\t办公室（牵头）、人事股\t6月底前\n2\t强化监督\t纪检组\t长期坚持',
    );
    expect(o.nodes.map((n) => [n.lead, n.owners])).toEqual([
      ['办公室', ['办公室', '人事股']],
      [undefined, ['纪检组']],
    ]);
  });
});

describe('责任人', () => {
  it('keeps 责任人 as the assignee beside the lead, in annotation lines and in a table', () => {
    const lines = importPolicyText(
      [
        '一、加强理论学习',
        '（一）落实中心组学习制度。每月集中学习一次。',
        '牵头领导：王书记；责任单位：机关党支部；责任人：张三；完成时限：2023年12月底前',
      ].join('\n'),
    );
    expect(at(lines.nodes, 0, 0)).toMatchObject({
      lead: '王书记',
      owners: ['机关党支部'],
      assignee: '张三',
      deadline: '2023年12月底前',
    });
    const table = importPolicyText(
      '序号\t工作任务\t牵头领导\t责任单位\t责任人\t完成时限\n1\t加强学习\t王书记\t办公室\t李四\t6月底前\n2\t强化监督\t\t纪检组\t赵五\t长期坚持',
    );
    expect(table.nodes.map((n) => [n.lead, n.owners, n.assignee])).toEqual([
      ['王书记', ['办公室'], '李四'],
      [undefined, ['纪检组'], '赵五'],
    ]);
  });
});

describe('任务分工 table', () => {
  const o = importPolicyText(fixture('task-division.txt'));

  it('makes every row a task, the lead unit first among the owners', () => {
    expect(o.title).toBe('某县教育局2024年重点工作任务分工');
    expect(o.nodes.map((n) => [n.number, n.title, n.lead, n.owners, n.deadline])).toEqual([
      ['1', '推进义务教育优质均衡发展', '基础教育股', ['基础教育股', '各中小学'], '2024年12月'],
      ['2', '加强教师队伍建设', '人事股', ['人事股', '教师发展中心', '各中小学'], '2024年8月底前'],
      ['3', '做好学生资助工作', '资助中心', ['资助中心'], '长期坚持'],
      ['4', '改善农村学校办学条件', '计划财务股', ['计划财务股', '基建办'], '2024年第三季度'],
    ]);
  });
});

describe('a 通知 that wraps a 方案', () => {
  const o = importPolicyText(fixture('notice-wrapping-plan.txt'));

  it("takes the attachment's title and leaves the letter, letterhead and sign-off out", () => {
    expect(o.title).toBe('2024年党风廉政建设工作方案');
    expect(o.preamble).toBe('为深入推进全面从严治党，结合我局实际，制定本方案。');
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '主要任务',
        [
          ['（一）', '落实主体责任'],
          ['（二）', '加强廉政教育'],
        ],
      ],
      [
        '二、',
        '工作要求',
        [
          ['（一）', '加强组织领导'],
          ['（二）', '严格督查考核'],
        ],
      ],
    ]);
  });
});

describe('a table of contents', () => {
  const o = importPolicyText(fixture('with-toc.txt'));

  it('is not counted: each heading appears once', () => {
    expect(o.preamble).toBe('');
    expect(shape(o.nodes)).toEqual([
      ['一、', '总体要求'],
      [
        '二、',
        '重点任务',
        [
          ['（一）', '推进农村公路建设'],
          ['（二）', '提升客运服务水平'],
        ],
      ],
      ['三、', '保障措施', [['（一）', '加强组织领导']]],
    ]);
  });
});

describe('第X章 / 第X条', () => {
  const o = importPolicyText(fixture('chapters-articles.txt'));

  it('makes chapters sections and articles items, with （一） under an article', () => {
    expect(shape(o.nodes)).toEqual([
      [
        '第一章',
        '总则',
        [
          ['第一条', '为落实党风廉政建设责任制，根据有关规定，结合本局实际，制定本办法'],
          ['第二条', '本办法适用于局机关各股室及局属各单位'],
        ],
      ],
      [
        '第二章',
        '责任内容',
        [
          [
            '第三条',
            '局党组对党风廉政建设负全面领导责任，主要包括',
            [
              ['（一）', '贯彻落实上级关于党风廉政建设的决策部署'],
              ['（二）', '研究部署党风廉政建设工作'],
            ],
          ],
          ['第四条', '班子成员按照“一岗双责”要求，抓好分管领域党风廉政建设'],
        ],
      ],
      [
        '第三章',
        '监督考核',
        [['第五条', '局党组每年对党风廉政建设责任制落实情况进行一次检查考核']],
      ],
    ]);
  });
});

describe('a decimal outline 1 / 1.1 / 1.2.1', () => {
  const o = importPolicyText(fixture('decimal-outline.txt'));

  it('nests by the number of parts', () => {
    expect(shape(o.nodes)).toEqual([
      ['1', '工作目标'],
      [
        '2',
        '重点任务',
        [
          [
            '2.1',
            '推进政务数据共享',
            [
              ['2.1.1', '完善数据资源目录'],
              ['2.1.2', '建设共享交换平台'],
            ],
          ],
          ['2.2', '提升一网通办水平'],
        ],
      ],
      ['3', '保障措施', [['3.1', '加强统筹协调']]],
    ]);
    expect(at(o.nodes, 0).body).toBe('到2024年底，政务服务事项网上可办率达到95%以上。');
  });
});

describe('titles spaced out and wrapped over three lines', () => {
  it('closes up the spacing and joins the lines', () => {
    const o = importPolicyText(fixture('spaced-title.txt'));
    expect(o.title).toBe('国家粮食和物资储备局关于做好2024年安全储粮和安全生产工作的实施方案');
    expect(shape(o.nodes)).toEqual([
      ['一、', '加强粮情检测'],
      ['二、', '规范出入库作业'],
    ]);
  });
});

describe('spaced-out letters with digits, and in a heading', () => {
  it('closes them up', () => {
    const o = importPolicyText(
      '某 某 县 2024 年 工 作 要 点\n\n一、加 强 学 习\n组织学习，推动工作落实。\n二、强化监督\n落实监督责任，加强检查。',
    );
    expect(o.title).toBe('某某县2024年工作要点');
    expect(shape(o.nodes)).toEqual([
      ['一、', '加强学习'],
      ['二、', '强化监督'],
    ]);
  });
});

describe('text with no line breaks at all', () => {
  it('still finds the title, the preamble and every heading', () => {
    const o = importPolicyText(fixture('one-line.txt'));
    expect(o.title).toBe('某县司法局2024年普法依法治理工作要点');
    expect(o.preamble).toBe('为深入实施“八五”普法规划，推进全民守法，结合工作实际，制定本要点。');
    expect(shape(o.nodes)).toEqual([
      ['一、', '深入学习宣传习近平法治思想'],
      [
        '二、',
        '突出重点内容宣传',
        [
          ['（一）', '宣传宪法'],
          ['（二）', '宣传民法典'],
        ],
      ],
      ['三、', '加强组织保障'],
    ]);
  });

  it('splits a document whose sentences run on with no spacing either', () => {
    const o = importPolicyText(
      '一、加强学习。每月组织一次集中学习，做好学习记录。二、强化监督。落实谈心谈话制度，开展廉政提醒，推动工作落实。三、狠抓落实。各支部要明确责任分工，确保任务完成。',
    );
    expect(shape(o.nodes)).toEqual([
      ['一、', '加强学习'],
      ['二、', '强化监督'],
      ['三、', '狠抓落实'],
    ]);
  });
});

describe('indentation with U+3000, spaces and tabs', () => {
  it('does not change the structure', () => {
    const o = importPolicyText(fixture('indentation.txt'));
    expect(o.title).toBe('某县统计局2024年统计工作要点');
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '夯实统计基础',
        [
          ['（一）', '规范统计台账'],
          ['（二）', '加强统计执法'],
        ],
      ],
      ['二、', '提升统计服务水平', [['（一）', '强化统计分析']]],
    ]);
  });
});

describe('half-width punctuation and full-width digits', () => {
  const o = importPolicyText(fixture('half-width.txt'));

  it('reads (一) like （一）, １． like 1., and . ; : like 。；：', () => {
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '加强档案收集',
        [
          ['（一）', '做好年度档案接收'],
          ['（二）', '加强重大活动档案收集'],
        ],
      ],
      [
        '二、',
        '推进档案数字化',
        [
          ['1.', '完成馆藏档案数字化20万页'],
          ['2.', '建设数字档案馆系统'],
        ],
      ],
    ]);
  });

  it('reads a half-width (A负责) and a half-width annotation line', () => {
    expect(at(o.nodes, 1, 1)).toMatchObject({
      lead: '信息化股',
      owners: ['信息化股'],
      deadline: '2024年11月',
    });
  });
});

describe('traps', () => {
  it('reads 2.1项目… as a decimal heading but 2.5万元 as a quantity', () => {
    const o = importPolicyText(
      '1 总体要求\n坚持问题导向，推动工作落实。\n2 重点工作\n2.1项目建设\n全年投资\n2.5万元用于设备更新。\n2.2人才培养\n组织业务培训。',
    );
    expect(shape(o.nodes)).toEqual([
      ['1', '总体要求'],
      [
        '2',
        '重点工作',
        [
          ['2.1', '项目建设'],
          ['2.2', '人才培养'],
        ],
      ],
    ]);
  });

  it('does not take 1.5亿元 or 一、二季度 at the start of a line for headings', () => {
    const o = importPolicyText(
      [
        '一、稳定财政收入',
        '全年一般公共预算收入力争达到',
        '1.5亿元，同比增长5%。',
        '二、加快项目建设',
        '一、二季度完成前期工作，三季度开工建设。',
      ].join('\n'),
    );
    expect(shape(o.nodes)).toEqual([
      ['一、', '稳定财政收入'],
      ['二、', '加快项目建设'],
    ]);
    expect(at(o.nodes, 1).body).toBe('一、二季度完成前期工作，三季度开工建设。');
  });

  it('does not take labels named in a sentence (（一）至（三）项) for headings', () => {
    const o = importPolicyText(
      '一、加强学习\n组织学习。（一）至（三）项由办公室负责落实。\n二、项目建设\n1.项目管理。落实项目责任制。\n2.项目验收。按期组织验收。',
    );
    expect(shape(o.nodes)).toEqual([
      ['一、', '加强学习'],
      [
        '二、',
        '项目建设',
        [
          ['1.', '项目管理'],
          ['2.', '项目验收'],
        ],
      ],
    ]);
    expect(at(o.nodes, 0).body).toBe('组织学习。（一）至（三）项由办公室负责落实。');
  });

  it('reads a heading and its text on the same line, and on separate lines, the same way', () => {
    const inline = importPolicyText(
      '一、加强领导。成立领导小组，统筹推进工作。\n二、强化保障。落实经费，保障工作开展。',
    );
    const apart = importPolicyText(
      '一、加强领导\n成立领导小组，统筹推进工作。\n二、强化保障\n落实经费，保障工作开展。',
    );
    expect(apart.nodes).toEqual(inline.nodes);
    expect(at(inline.nodes, 0).body).toBe('成立领导小组，统筹推进工作。');
  });

  it('reads keyed annotations that end a paragraph after its last sentence', () => {
    const o = importPolicyText(
      '一、重点任务\n1.加强学习。每月组织学习一次，确保落实到位。牵头单位：办公室；配合单位：各股室；完成时限：2024年6月底前。\n2.强化监督。开展监督检查。责任领导：张三\n二、保障措施\n加强组织领导，落实工作责任。',
    );
    expect(at(o.nodes, 0, 0)).toEqual({
      number: '1.',
      title: '加强学习',
      body: '每月组织学习一次，确保落实到位。',
      lead: '办公室',
      owners: ['办公室', '各股室'],
      deadline: '2024年6月底前',
      children: [],
    });
    expect(at(o.nodes, 0, 1)).toMatchObject({ body: '开展监督检查。', lead: '张三' });
  });

  it('takes a keyed parenthetical anywhere in a point, and ignores a lone 一是', () => {
    const o = importPolicyText(
      [
        '一、重点工作',
        '（一）加强学习。一是集中学习（责任单位：办公室；完成时限：2024年6月底前）。每季度集中学习一次。二是个人自学。每人每年撰写心得体会不少于2篇。',
        '（二）规范管理。其中一是要明确分工，不作为单独事项。',
      ].join('\n'),
    );
    expect(at(o.nodes, 0, 0, 0)).toEqual({
      number: '一是',
      title: '集中学习',
      body: '每季度集中学习一次。',
      owners: ['办公室'],
      deadline: '2024年6月底前',
      children: [],
    });
    expect(at(o.nodes, 0, 1).children).toEqual([]);
  });

  it('reads CRLF line ends and a BOM in text like plain line feeds', () => {
    const text = fixture('work-points.txt');
    expect(importPolicyText('\uFEFF' + text.replace(/\n/g, '\r\n'))).toEqual(
      importPolicyText(text),
    );
  });

  it('finds a title glued to the first heading in text with no breaks and no spaces', () => {
    const o = importPolicyText(
      '某县2024年工作要点一、加强学习。每月组织学习。二、强化监督。落实监督责任，推动工作落实。',
    );
    expect(o.title).toBe('某县2024年工作要点');
    expect(shape(o.nodes)).toEqual([
      ['一、', '加强学习'],
      ['二、', '强化监督'],
    ]);
  });

  it('reads 办公室（牵头） in a list of owners as the lead unit', () => {
    const o = importPolicyText('一、加强学习\n责任单位：办公室（牵头）、人事股\n二、强化监督');
    expect(at(o.nodes, 0)).toMatchObject({ lead: '办公室', owners: ['办公室', '人事股'] });
  });

  it('ends a heading’s title where its points begin, even without a full stop', () => {
    const o = importPolicyText(
      '一、工作任务\n（一）加强组织领导，一是成立领导小组；二是明确责任分工。\n（二）强化保障，一要落实经费，二要配齐人员。',
    );
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '工作任务',
        [
          [
            '（一）',
            '加强组织领导',
            [
              ['一是', '成立领导小组'],
              ['二是', '明确责任分工'],
            ],
          ],
          [
            '（二）',
            '强化保障',
            [
              ['一要', '落实经费'],
              ['二要', '配齐人员'],
            ],
          ],
        ],
      ],
    ]);
  });

  it('leaves the list of attachments at the end out of the outline', () => {
    const o = importPolicyText(
      '某局2024年工作方案\n一、加强学习\n组织学习，推动工作落实。\n二、强化监督\n落实监督责任。\n附件：\n1.重点任务分工表\n2.问题整改清单\n\n某局\n2024年3月1日',
    );
    expect(shape(o.nodes)).toEqual([
      ['一、', '加强学习'],
      ['二、', '强化监督'],
    ]);
    expect(at(o.nodes, 1).body).toBe('落实监督责任。');
  });

  it('drops page numbers left by a conversion', () => {
    const o = importPolicyText(
      '一、加强学习\n组织集中学习，\n— 2 —\n推动工作落实。\n第 2 页 共 3 页\n二、强化监督\n落实监督责任。\n- 3 -',
    );
    expect(o.nodes.map((n) => n.body)).toEqual(['组织集中学习，推动工作落实。', '落实监督责任。']);
  });

  it('leaves a contact line and a signature without a date out of the last task', () => {
    const o = importPolicyText(
      '某局2024年工作要点\n一、加强学习\n组织集中学习，推动工作落实。\n二、强化监督\n落实监督责任。\n\n（联系人：张三，电话：12345678）\n中共某县某局党组',
    );
    expect(o.nodes.map((n) => n.body)).toEqual(['组织集中学习，推动工作落实。', '落实监督责任。']);
  });

  it('warns about a numbering gap, which often means a heading was missed', () => {
    const o = importPolicyText(
      '一、加强学习\n组织学习，推动工作落实。\n三、强化监督\n落实监督责任，加强检查。',
    );
    expect(o.warnings.some((w) => w.includes('三、'))).toBe(true);
  });
});

describe('text that has an outline but is not a work plan', () => {
  it('comes with a warning (a recipe laid out with 一、二、)', () => {
    const o = importPolicyText(fixture('recipe.txt'));
    expect(o.nodes).toHaveLength(4);
    expect(o.warnings).toHaveLength(1);
    expect(o.warnings[0]).toContain('不像工作计划');
  });

  it.each([
    [
      'an exam paper',
      '七年级数学期中测试卷\n一、选择题（每题3分，共30分）\n1.下列各数中，最小的数是（　）\n2.计算-3+5的结果是（　）\n二、填空题（每题4分，共20分）\n3.比较大小：-2＿＿-3\n三、解答题\n4.计算：(-2)×3+4',
    ],
    [
      'a travel guide',
      '杭州三日游攻略\n一、第一天：西湖\n上午游览断桥、白堤，中午在楼外楼品尝西湖醋鱼，下午乘船游三潭印月。\n二、第二天：灵隐寺\n早上前往灵隐寺，沿飞来峰步行，傍晚去河坊街逛夜市。\n三、第三天：西溪湿地\n租一辆自行车慢慢骑，拍拍照，晚上返程。',
    ],
    [
      'a story in chapters',
      '第一章 初见\n那年夏天，她第一次来到这座小城，雨下得很大。\n第二章 重逢\n十年后，他们在车站再次相遇，彼此都愣住了。\n第三章 离别\n秋天到了，落叶铺满了街道，她又要走了。',
    ],
  ])('comes with a warning for %s', (_what, text) => {
    expect(importPolicyText(text).warnings).toHaveLength(1);
  });

  it('does not warn about short work documents such as meeting minutes', () => {
    const o = importPolicyText(
      '局长办公会议纪要\n一、关于2024年预算安排\n会议研究了2024年部门预算编制工作，要求各股室严格落实过紧日子要求。\n二、关于安全生产工作\n会议要求压实安全生产责任，开展隐患排查整治，确保全年安全稳定。',
    );
    expect(o.warnings).toEqual([]);
  });

  it('the real work plans come without one', () => {
    for (const f of ['work-points.txt', 'work-plan.txt', 'rectification-plan.txt', 'with-toc.txt'])
      expect(importPolicyText(fixture(f)).warnings).toEqual([]);
  });
});

describe('a 通知 whose attachment puts the office’s name before the title', () => {
  const o = importPolicyText(fixture('notice-attachment-with-office-name.txt'));

  it("takes the attachment's own title line, and its own preamble", () => {
    expect(o.title).toBe('某县住房和城乡建设局2024年安全生产工作要点');
    expect(o.preamble).toBe('2024年，全局安全生产工作要坚持人民至上、生命至上，统筹发展和安全。');
  });

  it('reads keyed parentheticals with a full-width comma between the keys', () => {
    expect(at(o.nodes, 0, 0)).toMatchObject({
      title: '落实“三管三必须”要求',
      body: '明确各股室安全监管职责，层层签订安全生产责任书。',
      owners: ['安全股'],
      deadline: '2024年3月底前',
    });
    expect(at(o.nodes, 0, 1).owners).toEqual(['安全股', '质监站']);
  });

  it('splits points separated by ；', () => {
    expect(shape(at(o.nodes, 1, 0).children)).toEqual([
      ['一是', '全面排查燃气管网隐患'],
      ['二是', '规范瓶装液化气经营'],
    ]);
  });
});

describe('a task list with category rows, filed as 附件1', () => {
  const o = importPolicyText(fixture('task-list-with-category-rows.txt'));

  it('skips the 附件1 label, and groups rows under their category rows', () => {
    expect(o.title).toBe('某县水利局2024年重点工作任务清单');
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '水利工程建设',
        [
          ['1', '推进水库除险加固'],
          ['2', '实施农村供水保障工程'],
        ],
      ],
      ['二、', '河湖管理', [['3', '落实河湖长制']]],
    ]);
  });

  it('reads 责任领导 as the lead and 牵头单位 then 配合单位 as the owners', () => {
    expect(at(o.nodes, 0, 0)).toEqual({
      number: '1',
      title: '推进水库除险加固',
      body: '完成3座小型水库除险加固',
      lead: '王伟',
      owners: ['建管股', '各水管站'],
      deadline: '2024年10月',
      children: [],
    });
  });
});

describe('第X部分, 一． and ① levels, a title wrapped over three lines', () => {
  const o = importPolicyText(fixture('parts-and-circled.txt'));

  it('reads the title and four levels', () => {
    expect(o.title).toBe('中共某县财政局党组关于2024年落实全面从严治党主体责任的实施方案');
    expect(shape(o.nodes)).toEqual([
      ['第一部分', '总体要求'],
      [
        '第二部分',
        '主要任务',
        [
          [
            '一．',
            '加强政治建设',
            [
              ['1.', '坚定拥护“两个确立”'],
              [
                '2.',
                '严肃党内政治生活',
                [
                  ['①', '认真开好民主生活会'],
                  ['②', '规范组织生活会'],
                ],
              ],
            ],
          ],
          [
            '二．',
            '加强作风建设',
            [
              ['1.', '持续纠治“四风”'],
              ['2.', '加强机关效能建设'],
            ],
          ],
        ],
      ],
      ['第三部分', '保障措施'],
    ]);
  });

  it('reads 责任领导/责任股室/完成时限 lines', () => {
    expect(at(o.nodes, 1, 0, 0)).toMatchObject({
      lead: '局党组书记',
      owners: ['办公室'],
      deadline: '全年',
    });
  });

  it('leaves the signature and date out of the last section', () => {
    expect(at(o.nodes, 2).body).toBe('各股室要提高思想认识，把落实主体责任摆上重要议事日程。');
  });
});

describe('a township plan: 1、 items and trailing parentheticals', () => {
  const o = importPolicyText(fixture('township-plan.txt'));

  it('reads （A负责） and （A会同B负责）', () => {
    expect(at(o.nodes, 1, 0, 0).owners).toEqual(['镇环卫所']);
    expect(at(o.nodes, 1, 0, 1).owners).toEqual(['各村']);
    expect(at(o.nodes, 1, 1)).toMatchObject({
      title: '污水治理',
      body: '结合农村改厕，推进生活污水治理。',
      lead: '镇建设办',
      owners: ['镇建设办', '各村'],
    });
  });

  it('reads a time in a trailing parenthesis as the deadline', () => {
    expect(at(o.nodes, 2, 1)).toMatchObject({ title: '集中整治阶段', deadline: '2024年4月至10月' });
  });

  it('keeps an ordinary aside in parentheses as text', () => {
    const t = importPolicyText(
      '一、加强学习\n组织集中学习（详见附件）。\n二、强化监督\n按照《实施细则（试行）》开展监督。',
    );
    expect(at(t.nodes, 0).body).toBe('组织集中学习（详见附件）。');
    expect(at(t.nodes, 0).owners).toBeUndefined();
    expect(at(t.nodes, 1).body).toBe('按照《实施细则（试行）》开展监督。');
  });
});

describe('a document hard-wrapped at a fixed width (converted from PDF)', () => {
  /** Wraps every paragraph at `columns` (Chinese characters take two), indenting its start. */
  function wrap(text: string, columns: number): string {
    const width = (c: string): number => ((c.codePointAt(0) ?? 0) < 0x80 ? 1 : 2);
    return text
      .split('\n')
      .flatMap((line) => {
        const t = line.trim();
        if (t === '') return [''];
        const out: string[] = [];
        let cur = '\u3000\u3000';
        let w = 4;
        for (const ch of t) {
          if (w + width(ch) > columns) {
            out.push(cur);
            cur = '';
            w = 0;
          }
          cur += ch;
          w += width(ch);
        }
        out.push(cur);
        return out;
      })
      .join('\n');
  }

  const seed = fixture('2023-party-conduct-implementation-opinions.txt');
  const reference = importPolicyText(seed);

  it.each([40, 56, 60, 80])('reads the seed wrapped at %i columns exactly as unwrapped', (cols) => {
    const o = importPolicyText(wrap(seed, cols));
    expect(o.title).toBe(reference.title);
    expect(o.preamble).toBe(reference.preamble);
    expect(o.nodes).toEqual(reference.nodes);
  });
});

describe('a 通知 that lists two attachments', () => {
  it('takes the title of the attachment that follows, not the letter’s list', () => {
    const o = importPolicyText(fixture('notice-with-two-attachments.txt'));
    expect(o.title).toBe('某县某局2024年党建工作要点');
    expect(o.preamble).toBe('');
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '加强政治建设',
        [
          ['（一）', '加强理论学习'],
          ['（二）', '严明政治纪律'],
        ],
      ],
      ['二、', '加强作风建设', [['（一）', '深化作风整治']]],
    ]);
  });
});

describe('more layouts', () => {
  it('skips a 目录 with tab-separated page numbers and the title repeated after it', () => {
    const o = importPolicyText(
      [
        '某市2024年政务服务工作方案',
        '',
        '目  录',
        '',
        '第一章　总体要求\t1',
        '第二章　重点任务\t3',
        '　第一节　优化营商环境\t3',
        '　第二节　推进一网通办\t5',
        '第三章　保障措施\t8',
        '',
        '某市2024年政务服务工作方案',
        '',
        '第一章　总体要求',
        '坚持以人民为中心，持续优化政务服务。',
        '第二章　重点任务',
        '第一节　优化营商环境',
        '第一条　全面推行告知承诺制。',
        '第二条　压缩企业开办时间至1个工作日。',
        '第二节　推进一网通办',
        '第三条　推动高频事项全程网办。',
        '第三章　保障措施',
        '第四条　各部门要加强组织领导。',
      ].join('\n'),
    );
    expect(o.title).toBe('某市2024年政务服务工作方案');
    expect(o.preamble).toBe('');
    expect(shape(o.nodes)).toEqual([
      ['第一章', '总体要求'],
      [
        '第二章',
        '重点任务',
        [
          [
            '第一节',
            '优化营商环境',
            [
              ['第一条', '全面推行告知承诺制'],
              ['第二条', '压缩企业开办时间至1个工作日'],
            ],
          ],
          ['第二节', '推进一网通办', [['第三条', '推动高频事项全程网办']]],
        ],
      ],
      ['第三章', '保障措施', [['第四条', '各部门要加强组织领导']]],
    ]);
  });

  it('skips a 目录 whose page numbers are glued to the headings', () => {
    const o = importPolicyText(
      '某局工作方案\n目录\n一、总体要求1\n二、重点任务2\n一、总体要求\n坚持问题导向，推动工作落实。\n二、重点任务\n（一）加强学习。每月组织学习。',
    );
    expect(shape(o.nodes)).toEqual([
      ['一、', '总体要求'],
      ['二、', '重点任务', [['（一）', '加强学习']]],
    ]);
  });

  it('reads 1） labels and Markdown headings from a converter', () => {
    const o = importPolicyText(
      '# 某局2024年工作要点\n\n## 一、加强学习\n\n**（一）集中学习**\n\n每月组织学习。\n\n1）制定计划。\n2）组织实施。\n\n## 二、强化监督\n\n落实监督责任。',
    );
    expect(o.title).toBe('某局2024年工作要点');
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '加强学习',
        [
          [
            '（一）',
            '集中学习',
            [
              ['1）', '制定计划'],
              ['2）', '组织实施'],
            ],
          ],
        ],
      ],
      ['二、', '强化监督'],
    ]);
  });

  it('joins the issuing office on its own line to the title below it, and drops the adoption note', () => {
    const o = importPolicyText(
      '中共某县某局党组\n\n关于2024年党风廉政建设的\n实施意见\n\n（2024年2月28日局党组会议审议通过）\n\n为推进全面从严治党，制定本意见。\n一、总体要求\n坚持问题导向，推动工作落实。\n二、主要任务\n（一）加强学习。每月组织学习。',
    );
    expect(o.title).toBe('中共某县某局党组关于2024年党风廉政建设的实施意见');
    expect(o.preamble).toBe('为推进全面从严治党，制定本意见。');
  });

  it('reads a label alone on its line with the title on the next', () => {
    const o = importPolicyText(
      '一、加强领导\n（一）\n成立领导小组\n局长任组长，分管领导任副组长。\n（二）\n明确工作职责\n各股室按职责分工抓好落实。\n二、强化保障\n落实工作经费。',
    );
    expect(shape(o.nodes)).toEqual([
      [
        '一、',
        '加强领导',
        [
          ['（一）', '成立领导小组'],
          ['（二）', '明确工作职责'],
        ],
      ],
      ['二、', '强化保障'],
    ]);
    expect(at(o.nodes, 0, 0).body).toBe('局长任组长，分管领导任副组长。');
  });
});

describe('an annotation closing a paragraph of points', () => {
  const o = importPolicyText(fixture('points-with-closing-annotation.txt'));

  it('belongs to the heading of the paragraph, not to its last point', () => {
    const item = at(o.nodes, 0, 0);
    expect(item).toMatchObject({
      title: '深化“一网通办”改革',
      body: '推动高频事项“掌上办”“就近办”，',
      lead: '李副局长',
      owners: ['行政审批股', '信息中心', '办公室'],
      deadline: '2024年6月底前',
    });
    expect(item.children.map((c) => [c.title, c.owners, c.deadline])).toEqual([
      ['梳理事项清单', undefined, undefined],
      ['优化办理流程', undefined, undefined],
      ['压缩办理时限', undefined, undefined],
    ]);
  });

  it('reads 牵头单位 alone as lead and owner, and annotation lines after a sub-item', () => {
    expect(at(o.nodes, 0, 1)).toMatchObject({
      lead: '法规股',
      owners: ['法规股'],
      deadline: '2024年9月',
    });
    expect(at(o.nodes, 1, 0, 1)).toMatchObject({ owners: ['市场股'], deadline: '2024年12月31日' });
  });
});

describe('a problem list (问题/整改目标/整改措施/责任领导/责任单位/整改时限)', () => {
  it('makes one task per problem with the goal and the measures as its body', () => {
    const o = importPolicyText(fixture('problem-list-table.txt'));
    expect(o.title).toBe('某县人社局巡视反馈问题整改方案');
    expect(o.preamble).toBe('按照县委巡视组反馈意见，制定本方案。');
    expect(o.nodes).toEqual([
      {
        number: '1',
        title: '就业资金审核把关不严',
        body: '资金发放规范\n1.建立资金审核复核制度；2.开展专项清查',
        lead: '张局长',
        owners: ['就业股'],
        deadline: '2024年5月底前',
        children: [],
      },
      {
        number: '2',
        title: '干部作风不够扎实',
        body: '作风明显转变\n开展作风整顿活动',
        lead: '王书记',
        owners: ['办公室', '人事股'],
        deadline: '长期坚持',
        children: [],
      },
    ]);
  });
});
