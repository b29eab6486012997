/**
 * The page's only way to make elements. Log content is untrusted input, so
 * text always goes in as text nodes (textContent): nothing here parses HTML,
 * and the server's Content-Security-Policy forbids inline script anyway.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Attrs {
  class?: string;
  title?: string;
  data?: Record<string, string>;
  type?: string;
  value?: string;
  placeholder?: string;
  onclick?: (ev: MouseEvent) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs.class) el.className = attrs.class;
  if (attrs.title !== undefined) el.title = attrs.title;
  if (attrs.type !== undefined) el.setAttribute('type', attrs.type);
  if (attrs.value !== undefined) (el as HTMLInputElement).value = attrs.value;
  if (attrs.placeholder !== undefined) el.setAttribute('placeholder', attrs.placeholder);
  const onclick = attrs.onclick;
  if (onclick) el.addEventListener('click', (ev) => onclick(ev as MouseEvent));
  for (const [k, v] of Object.entries(attrs.data ?? {})) el.dataset[k] = v;
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}
