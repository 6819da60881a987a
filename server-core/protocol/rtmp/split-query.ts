/** `livestream?secret=x` -> name `livestream`, query `secret=x` (stream names and apps may carry a query). */
export function splitQuery(value: string): { name: string; query: string } {
  const q = value.indexOf('?');
  return q < 0 ? { name: value, query: '' } : { name: value.slice(0, q), query: value.slice(q + 1) };
}
