/**
 * Just enough of `@tarojs/components` for component tests in jsdom: View/Text/Input/WebView as
 * plain DOM elements with the props our components use (id, className, aria role and label,
 * onClick; an Input's `onInput` with Taro's `{ detail: { value } }`). A test opts in with
 *
 *   // @vitest-environment jsdom
 *   vi.mock('@tarojs/components', () => import('<path>/test/taro-components'));
 */
import { createElement, type ReactNode } from 'react';

interface Common {
  id?: string;
  className?: string;
  children?: ReactNode;
  ariaRole?: string;
  ariaLabel?: string;
  onClick?: () => void;
  [key: string]: unknown;
}

function domProps(p: Common): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.id, className: p.className, role: p.ariaRole, 'aria-label': p.ariaLabel, onClick: p.onClick };
  for (const [k, v] of Object.entries(p)) if (k.startsWith('data-')) out[k] = v;
  return out;
}

export const View = (p: Common) => createElement('div', domProps(p), p.children);
export const Text = (p: Common) => createElement('span', domProps(p), p.children);

export const Input = (p: Common & { value?: string; placeholder?: string; maxlength?: number; type?: string; onInput?: (e: { detail: { value: string } }) => void; onConfirm?: () => void }) =>
  createElement('input', {
    id: p.id,
    className: p.className,
    value: p.value ?? '',
    placeholder: p.placeholder,
    'data-type': p.type,
    onChange: (e: { target: { value: string } }) => p.onInput?.({ detail: { value: e.target.value } }),
  });

export const WebView = (p: { src: string }) => createElement('iframe', { src: p.src });
