/** Trees drawn with ├── └── │, as `lab show` prints them. */

export interface TreeNode {
  text: string;
  children?: TreeNode[];
}

/** The lines of `nodes` as siblings, each prefixed with `indent`. */
export function renderTree(nodes: readonly TreeNode[], indent = ""): string[] {
  const lines: string[] = [];
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    lines.push(`${indent}${last ? "└── " : "├── "}${node.text}`);
    if (node.children?.length) {
      for (const line of renderTree(node.children, indent + (last ? "    " : "│   "))) {
        lines.push(line);
      }
    }
  });
  return lines;
}

/** A titled block: the title line, then the tree (or `none`) indented under it. */
export function section(title: string, nodes: readonly TreeNode[], indent = "  "): string[] {
  if (!nodes.length) return [`${title} none`];
  return [title, ...renderTree(nodes, indent)];
}
