const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? all;
  });
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

function listLabel(depth: number, n: number): string {
  if (depth <= 1) return `${n}.`;
  if (depth === 2) return `（${n}）`;
  return CIRCLED[n - 1] ?? `${n}.`;
}

/**
 * Turns the HTML that mammoth makes of a .docx into the plain text the importer reads:
 * one paragraph a line, a table row a line with its cells separated by tabs (so a 任务分工
 * table in Word reads like a pasted one), and Word's automatic numbering — which is not in
 * the text — written out as 1. / （1） / ① by list depth, so the outline keeps its levels.
 */
export function docxHtmlToText(html: string): string {
  const out: string[] = [];
  let line = '';
  let tableDepth = 0;
  let row: string[] | null = null;
  let cell: string | null = null;
  const lists: { ordered: boolean; n: number }[] = [];
  const flush = (): void => {
    if (cell !== null) cell += ' ';
    else {
      out.push(line);
      line = '';
    }
  };
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|([^<]+)/g)) {
    const [, close, rawTag, text] = m;
    if (text !== undefined) {
      const t = decodeEntities(text).replace(/[\t\n\r]+/g, ' ');
      if (cell !== null) cell += t;
      else line += t;
      continue;
    }
    const tag = (rawTag ?? '').toLowerCase();
    const closing = close === '/';
    switch (tag) {
      case 'table':
        if (closing) tableDepth = Math.max(0, tableDepth - 1);
        else {
          if (tableDepth === 0 && line !== '') flush();
          tableDepth++;
        }
        break;
      case 'tr':
        if (tableDepth > 1) break;
        if (closing) {
          if (row !== null) out.push(row.join('\t'));
          row = null;
        } else row = [];
        break;
      case 'td':
      case 'th':
        if (tableDepth > 1) break;
        if (closing) {
          if (row !== null && cell !== null) row.push(cell.replace(/\s+/g, ' ').trim());
          cell = null;
        } else cell = '';
        break;
      case 'ol':
      case 'ul':
        if (closing) lists.pop();
        else {
          if (line !== '') flush();
          lists.push({ ordered: tag === 'ol', n: 0 });
        }
        break;
      case 'li': {
        if (closing) {
          if (line !== '' || cell !== null) flush();
          break;
        }
        if (line !== '') flush();
        const list = lists[lists.length - 1];
        if (list !== undefined && list.ordered) {
          list.n++;
          const label = listLabel(lists.filter((l) => l.ordered).length, list.n);
          if (cell !== null) cell += label;
          else line += label;
        }
        break;
      }
      case 'p':
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        if (closing) flush();
        break;
      case 'br':
        flush();
        break;
      default:
        break;
    }
  }
  if (line !== '') out.push(line);
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
