import type { Responsibility } from './annotations.ts';
import type { OutlineNode } from './types.ts';

/** True when the text gave the node any responsibility: lead, owners, deadline or 责任人. */
export function hasResponsibility(n: OutlineNode): boolean {
  return (
    n.lead !== undefined ||
    n.owners !== undefined ||
    n.deadline !== undefined ||
    n.assignee !== undefined
  );
}

/** Builds a node, leaving out the fields the text did not give. */
export function build(
  number: string,
  title: string,
  body: string,
  r: Responsibility,
  children: OutlineNode[],
): OutlineNode {
  const node: OutlineNode = { number, title, body, children: [] };
  const lead = r.leader ?? r.leadUnit;
  if (lead !== undefined && lead !== '') node.lead = lead;
  if (r.owners.length > 0) node.owners = [...r.owners];
  if (r.deadline !== undefined && r.deadline !== '') node.deadline = r.deadline;
  if (r.person !== undefined && r.person !== '') node.assignee = r.person;
  // Children last, so that JSON reads number, title, body, … children.
  delete (node as Partial<OutlineNode>).children;
  node.children = children;
  return node;
}
