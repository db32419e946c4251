/** RFC 6901 JSON pointers. */

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function toPointer(path: readonly (string | number)[]): string {
  return path.map((t) => "/" + escapeToken(t)).join("");
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map(unescapeToken);
}
