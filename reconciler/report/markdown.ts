/**
 * The few pieces of GitHub-flavoured Markdown the pull request comments are made of. Everything
 * that comes from the repo (names, paths, messages) goes through `text` or `htmlText`, so a name
 * can neither format the comment, open a tag, nor mention a user or link an issue.
 */

/** Text for a Markdown paragraph or list item: HTML and Markdown punctuation escaped. */
export function text(s: string): string {
  return s
    .replace(/[\\`*_[\]|~#@!]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n/g, " ");
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "@": "&#64;",
  "#": "&#35;",
};

/** Text inside an HTML element (a `<summary>`), where Markdown is not read. */
export function htmlText(s: string): string {
  return s.replace(/[&<>"@#]/g, (c) => HTML_ENTITIES[c] ?? c).replace(/\r?\n/g, " ");
}

/** A link destination that spaces, parentheses and angle brackets cannot cut short. */
function destination(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function link(label: string, url: string): string {
  return `[${text(label)}](${destination(url)})`;
}

/** A short revision in code: a 40- or 64-digit hex id shortened to 12 characters. */
export function revision(rev: string | null): string {
  if (rev === null) return "what is applied";
  const short = /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 12) : rev;
  return `\`${short.replace(/`/g, "'")}\``;
}

/** A folded block: the summary line shown, the body behind a click. */
export function details(summaryHtml: string, body: string): string {
  return `<details><summary>${summaryHtml}</summary>\n\n${body}\n\n</details>`;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : words}`;
}
