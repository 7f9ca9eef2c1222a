/**
 * Pure edits for the import preview, where a person fixes a wrong split before the plan is
 * created. Every function returns a new Outline and leaves its input alone; when an edit is
 * not possible (indenting a first child, merging the very first node) it returns the input
 * itself, so `result === outline` tells the UI that nothing changed.
 */
import { hasResponsibility } from './build.ts';
import { markerAt, POINT_RE } from './markers.ts';
import type { Outline, OutlineNode } from './types.ts';

/** A node's position: child indexes from the top level down, e.g. [1, 0, 2]. */
export type OutlinePath = readonly number[];

/** The node at `path`, or null. */
export function nodeAt(outline: Outline, path: OutlinePath): OutlineNode | null {
  let list = outline.nodes;
  let node: OutlineNode | null = null;
  for (const i of path) {
    node = list[i] ?? null;
    if (node === null) return null;
    list = node.children;
  }
  return node;
}

function clone(nodes: readonly OutlineNode[]): OutlineNode[] {
  return nodes.map((n) => ({ ...n, children: clone(n.children) }));
}

/** A deep copy and the child list that holds `path`'s node in it (null when absent). */
function locate(
  outline: Outline,
  path: OutlinePath,
): { copy: Outline; siblings: OutlineNode[]; index: number; parent: OutlineNode | null } | null {
  if (path.length === 0 || nodeAt(outline, path) === null) return null;
  const copy: Outline = {
    ...outline,
    nodes: clone(outline.nodes),
    warnings: [...outline.warnings],
  };
  let siblings = copy.nodes;
  let parent: OutlineNode | null = null;
  for (const i of path.slice(0, -1)) {
    parent = siblings[i] ?? null;
    if (parent === null) return null;
    siblings = parent.children;
  }
  return { copy, siblings, index: path[path.length - 1] ?? 0, parent };
}

/** Replaces some fields of one node (fix a title, a number, the owners …). */
export function updateNode(
  outline: Outline,
  path: OutlinePath,
  patch: Partial<Omit<OutlineNode, 'children'>>,
): Outline {
  const at = locate(outline, path);
  if (at === null) return outline;
  const node = at.siblings[at.index];
  if (node === undefined) return outline;
  at.siblings[at.index] = { ...node, ...patch, children: node.children };
  return at.copy;
}

/**
 * Moves a node one level deeper (`'in'`: it becomes the last child of the sibling above it)
 * or shallower (`'out'`: it follows its parent, and the siblings that came after it become
 * its children, so the reading order stays the same).
 */
export function changeLevel(outline: Outline, path: OutlinePath, direction: 'in' | 'out'): Outline {
  const at = locate(outline, path);
  if (at === null) return outline;
  const { copy, siblings, index } = at;
  const node = siblings[index];
  if (node === undefined) return outline;
  if (direction === 'in') {
    const above = siblings[index - 1];
    if (above === undefined) return outline;
    siblings.splice(index, 1);
    above.children.push(node);
    return copy;
  }
  if (path.length < 2) return outline;
  const grand = locate(copy, path.slice(0, -1));
  if (grand === null) return outline;
  const parent = grand.siblings[grand.index];
  if (parent === undefined) return outline;
  const moved = parent.children.splice(index);
  moved.shift();
  node.children.push(...moved);
  grand.siblings.splice(grand.index + 1, 0, node);
  return grand.copy;
}

/** The path of the node before `path` in reading order (its parent for a first child). */
function previousInReadingOrder(outline: Outline, path: OutlinePath): OutlinePath | null {
  const index = path[path.length - 1] ?? 0;
  if (index === 0) return path.length > 1 ? path.slice(0, -1) : null;
  let prev: number[] = [...path.slice(0, -1), index - 1];
  for (;;) {
    const n = nodeAt(outline, prev);
    if (n === null || n.children.length === 0) return prev;
    prev = [...prev, n.children.length - 1];
  }
}

/** The node's own text as the document had it: label, title, body. */
function asText(node: OutlineNode): string {
  const head = node.number + node.title;
  if (node.body === '') return head;
  return /[。；;：:！？!?]$/.test(head) ? head + node.body : `${head}。${node.body}`;
}

/**
 * Merges a node into the one before it in reading order (a heading or point that was split
 * off by mistake): its label, title and body are appended to that node's body, its children
 * follow, and the annotations fill what that node lacks.
 */
export function mergeIntoPrevious(outline: Outline, path: OutlinePath): Outline {
  const prevPath = previousInReadingOrder(outline, path);
  if (prevPath === null) return outline;
  const at = locate(outline, path);
  if (at === null) return outline;
  const node = at.siblings[at.index];
  if (node === undefined) return outline;
  const isParent = prevPath.length === path.length - 1;
  at.siblings.splice(at.index, 1, ...(isParent ? node.children : []));
  const target = nodeAt(at.copy, prevPath);
  if (target === null) return outline;
  target.body = target.body === '' ? asText(node) : `${target.body}\n${asText(node)}`;
  if (!isParent) target.children.push(...node.children);
  if (target.lead === undefined && node.lead !== undefined) target.lead = node.lead;
  if (target.deadline === undefined && node.deadline !== undefined) target.deadline = node.deadline;
  if (target.assignee === undefined && node.assignee !== undefined) target.assignee = node.assignee;
  if (node.owners !== undefined) {
    const owners = [...(target.owners ?? [])];
    for (const o of node.owners) if (!owners.includes(o)) owners.push(o);
    target.owners = owners;
  }
  return at.copy;
}

/**
 * Splits a node's body at `offset` (an index into `body`): the text from there on becomes a
 * new node right after it, at the same level, with the children. Its label is taken from the
 * text when it starts with one (二是, （三）, 2.), and its title is its first clause.
 */
export function splitNode(outline: Outline, path: OutlinePath, offset: number): Outline {
  const at = locate(outline, path);
  if (at === null) return outline;
  const node = at.siblings[at.index];
  if (node === undefined || offset <= 0 || offset >= node.body.length) return outline;
  const head = node.body.slice(0, offset).trim();
  let tail = node.body.slice(offset).trim();
  if (tail === '') return outline;
  let number = '';
  const marker = markerAt(tail, false);
  const point = new RegExp(`^${POINT_RE.source}`).exec(tail);
  if (marker !== null) {
    number = marker.label;
    tail = tail.slice(marker.length);
  } else if (point !== null) {
    number = point[0];
    tail = tail.slice(point[0].length);
  }
  const stop = tail.search(/[。；;：:！？!?\n]/);
  const title = stop >= 0 ? tail.slice(0, stop) : tail;
  const body = stop >= 0 ? tail.slice(stop + 1).trim() : '';
  const created: OutlineNode = { number, title, body, children: node.children };
  at.siblings.splice(at.index, 1, { ...node, body: head, children: [] }, created);
  return at.copy;
}

/** Removes a node with its children, or with `keepChildren` puts the children in its place. */
export function dropNode(
  outline: Outline,
  path: OutlinePath,
  options: { readonly keepChildren?: boolean } = {},
): Outline {
  const at = locate(outline, path);
  if (at === null) return outline;
  const node = at.siblings[at.index];
  if (node === undefined) return outline;
  at.siblings.splice(at.index, 1, ...(options.keepChildren === true ? node.children : []));
  return at.copy;
}

/** How big an outline is, as the preview says it: “3 个部分 · 6 项 · 13 项任务”. */
export interface OutlineCounts {
  /** Top-level nodes (一、). */
  readonly sections: number;
  /** Second-level nodes (（一）). */
  readonly items: number;
  /** Nodes that are work to do: see `isOutlineTask`. */
  readonly tasks: number;
}

/**
 * True for the nodes that are tasks: the leaves, except a top-level leaf in an outline that
 * has deeper levels — that is guiding text such as 一、总体思路, not work — unless the text
 * gave it a responsibility (lead, owners or deadline). In an outline one level deep (a task
 * table) every node is a task. The same rule as the plan's print table (shared/table.ts).
 */
export function isOutlineTask(outline: Outline, path: OutlinePath): boolean {
  const node = nodeAt(outline, path);
  if (node === null) return false;
  return taskRule(node, path.length, isStructuredOutline(outline));
}

function isStructuredOutline(outline: Outline): boolean {
  return outline.nodes.some((n) => n.children.length > 0);
}

function taskRule(node: OutlineNode, depth: number, structured: boolean): boolean {
  if (node.children.length > 0) return false;
  if (depth > 1 || !structured) return true;
  return hasResponsibility(node);
}

/** Counts sections, items and tasks. */
export function countOutline(outline: Outline): OutlineCounts {
  const structured = isStructuredOutline(outline);
  let tasks = 0;
  const walk = (nodes: readonly OutlineNode[], depth: number): void => {
    for (const n of nodes) {
      if (taskRule(n, depth, structured)) tasks++;
      walk(n.children, depth + 1);
    }
  };
  walk(outline.nodes, 1);
  const items = outline.nodes.reduce((sum, n) => sum + n.children.length, 0);
  return { sections: outline.nodes.length, items, tasks };
}

/** “3 个部分 · 6 项 · 13 项任务” (or “3 sections · 6 items · 13 tasks”). */
export function formatOutlineCounts(counts: OutlineCounts, lang: 'zh' | 'en' = 'zh'): string {
  if (lang === 'en') {
    const s = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
    return [
      s(counts.sections, 'section', 'sections'),
      s(counts.items, 'item', 'items'),
      s(counts.tasks, 'task', 'tasks'),
    ].join(' · ');
  }
  return `${counts.sections} 个部分 · ${counts.items} 项 · ${counts.tasks} 项任务`;
}

/** One row of the preview tree. */
export interface OutlineEntry {
  readonly path: OutlinePath;
  readonly node: OutlineNode;
  /** 1 for a section. */
  readonly depth: number;
  readonly isTask: boolean;
}

/** The outline in reading order with each node's path, depth and task flag, for a preview tree. */
export function outlineEntries(outline: Outline): OutlineEntry[] {
  const structured = isStructuredOutline(outline);
  const out: OutlineEntry[] = [];
  const walk = (nodes: readonly OutlineNode[], prefix: readonly number[]): void => {
    nodes.forEach((node, i) => {
      const path = [...prefix, i];
      const isTask = taskRule(node, path.length, structured);
      out.push({ path, node, depth: path.length, isTask });
      walk(node.children, path);
    });
  };
  walk(outline.nodes, []);
  return out;
}
