import { describe, expect, it } from 'vitest';
import { docxHtmlToText, importPolicyText } from '../../../shared/import/index.ts';

describe('docxHtmlToText', () => {
  it('writes a paragraph per line and decodes entities', () => {
    expect(docxHtmlToText('<h1>标题</h1><p>一、总体 &amp; 要求</p><p>正文&lt;一&gt;</p>')).toBe(
      '标题\n一、总体 & 要求\n正文<一>',
    );
  });

  it('writes a table row per line with tab-separated cells, so a Word task table imports', () => {
    const html =
      '<p>某局任务分工</p><table><tr><td><p>序号</p></td><td><p>工作任务</p></td><td><p>责任单位</p></td><td><p>完成时限</p></td></tr>' +
      '<tr><td><p>1</p></td><td><p>加强学习</p></td><td><p>办公室</p></td><td><p>6月底前</p></td></tr>' +
      '<tr><td><p>2</p></td><td><p>强化监督</p><p>检查</p></td><td><p>纪检组</p></td><td><p>长期坚持</p></td></tr></table>';
    const text = docxHtmlToText(html);
    expect(text.split('\n')).toEqual([
      '某局任务分工',
      '序号\t工作任务\t责任单位\t完成时限',
      '1\t加强学习\t办公室\t6月底前',
      '2\t强化监督 检查\t纪检组\t长期坚持',
    ]);
    const o = importPolicyText(text);
    expect(o.nodes.map((n) => [n.title, n.owners, n.deadline])).toEqual([
      ['加强学习', ['办公室'], '6月底前'],
      ['强化监督 检查', ['纪检组'], '长期坚持'],
    ]);
  });

  it("writes out Word's automatic numbering by list depth, which the text itself lacks", () => {
    const html =
      '<ol><li>加强学习<ol><li>集中学习</li><li>个人自学</li></ol></li><li>强化监督</li></ol>';
    expect(docxHtmlToText(html)).toBe('1.加强学习\n（1）集中学习\n（2）个人自学\n2.强化监督');
  });
});
