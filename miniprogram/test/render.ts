/// <reference path="./react-dom-client.d.ts" />
/** Renders a component into jsdom for a test, with the few interactions our pages need. */
import { act, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const mounted = new Set<() => Promise<void>>();

/** Unmounts everything `render` mounted (call it in afterEach: a mounted page keeps polling). */
export async function cleanup() {
  for (const unmount of [...mounted]) await unmount();
}

export async function render(element: ReactElement) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = createRoot(host);
  const unmount = async () => {
    if (!mounted.delete(unmount)) return;
    await act(async () => root.unmount());
    host.remove();
  };
  mounted.add(unmount);
  await act(async () => root.render(element));
  const find = (selector: string) => host.querySelector<HTMLElement>(selector);
  const get = (selector: string) => {
    const el = find(selector);
    if (!el) throw new Error(`nothing matches ${selector} in: ${host.innerHTML}`);
    return el;
  };
  return {
    host,
    find,
    get,
    text: (selector?: string) => (selector ? get(selector) : host).textContent ?? '',
    /** Taps an element and lets the promises it started settle. */
    async tap(selector: string) {
      await act(async () => {
        get(selector).click();
      });
      await flush();
    },
    /** Types into an input the way a person does (React sees an input event). */
    async type(selector: string, value: string) {
      const input = get(selector) as HTMLInputElement;
      await act(async () => {
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        setter?.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
    flush,
    unmount,
  };
}

/** Lets pending promises (a fake server's answers) and the renders they cause finish. */
export async function flush(rounds = 5) {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}
