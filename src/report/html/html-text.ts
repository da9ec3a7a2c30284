/** Text for HTML content and attribute values: the five characters that could end or open markup. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside a <script> element: `<` escaped so that no value can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** `12.3 s` from milliseconds. */
export function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
