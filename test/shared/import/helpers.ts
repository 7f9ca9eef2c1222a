import { readFileSync } from 'node:fs';
import type { OutlineNode } from '../../../shared/import/index.ts';

/** A fixture under test/fixtures/import/, as text. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), 'utf8');
}

/** A fixture's bytes. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url)));
}

/** The tree as [number, title, children] triples, leaving out bodies and annotations. */
export type Shape = [string, string, Shape[]?];

export function shape(nodes: readonly OutlineNode[]): Shape[] {
  return nodes.map((n) =>
    n.children.length === 0 ? [n.number, n.title] : [n.number, n.title, shape(n.children)],
  );
}

/** Every title, depth first. */
export function titles(nodes: readonly OutlineNode[]): string[] {
  return nodes.flatMap((n) => [n.title, ...titles(n.children)]);
}

/** The node at a path of child indexes. */
export function at(nodes: readonly OutlineNode[], ...path: number[]): OutlineNode {
  let list = nodes;
  let node: OutlineNode | undefined;
  for (const i of path) {
    node = list[i];
    if (node === undefined) throw new Error(`no node at ${path.join('/')}`);
    list = node.children;
  }
  if (node === undefined) throw new Error('empty path');
  return node;
}
