import { describe, expect, it, vi } from 'vitest';
import { createPrivacyPrompts, normalizePath, type PrivacyRequest } from './privacy-prompts';

function setup(path = 'pages/index/index') {
  const state = { path };
  const openFallback = vi.fn();
  const prompts = createPrivacyPrompts({ currentPath: () => state.path, openFallback });
  return { state, openFallback, prompts };
}

describe("WeChat's privacy request reaches the popup on the page the person sees", () => {
  it('the popup of the current page shows it, not one on a page below', () => {
    const { prompts, openFallback } = setup('pages/index/index');
    const home = vi.fn();
    const below = vi.fn();
    prompts.subscribe('/pages/index/index', home);
    prompts.subscribe('/pages/me/index', below);
    prompts.need(vi.fn(), 'scanCode');
    expect(home).toHaveBeenLastCalledWith({ referrer: 'scanCode' } satisfies PrivacyRequest);
    expect(below).not.toHaveBeenCalled();
    expect(openFallback).not.toHaveBeenCalled();
  });

  it('a page without a popup opens the stand-alone page once, which shows the waiting request', () => {
    const { prompts, openFallback, state } = setup('packages/care/pages/medication/index');
    prompts.need(vi.fn(), 'chooseMedia');
    prompts.need(vi.fn(), 'chooseMedia');
    expect(openFallback).toHaveBeenCalledTimes(1);
    state.path = 'packages/privacy/pages/authorize/index';
    const page = vi.fn();
    prompts.subscribe('/packages/privacy/pages/authorize/index', page, true);
    expect(page).toHaveBeenCalledWith({ referrer: 'chooseMedia' });
  });

  it('同意 lets every held call go on with the tapped button id; the popup closes', () => {
    const { prompts } = setup();
    const popup = vi.fn();
    prompts.subscribe('pages/index/index', popup);
    const a = vi.fn();
    const b = vi.fn();
    prompts.need(a, 'getLocation');
    prompts.need(b, 'scanCode');
    prompts.exposed();
    prompts.exposed();
    prompts.agree('pv-privacy-agree');
    expect(a.mock.calls).toEqual([[{ event: 'exposureAuthorization' }], [{ event: 'agree', buttonId: 'pv-privacy-agree' }]]);
    expect(b).toHaveBeenLastCalledWith({ event: 'agree', buttonId: 'pv-privacy-agree' });
    expect(popup).toHaveBeenLastCalledWith(null);
    expect(prompts.current()).toBeNull();
  });

  it('不同意 makes the held call fail; a later request opens the fallback again', () => {
    const { prompts, openFallback } = setup('x/y');
    const r = vi.fn();
    prompts.need(r);
    prompts.disagree();
    expect(r).toHaveBeenLastCalledWith({ event: 'disagree' });
    prompts.need(vi.fn());
    expect(openFallback).toHaveBeenCalledTimes(2);
  });

  it('an unsubscribed popup is not told', () => {
    const { prompts, openFallback } = setup();
    const popup = vi.fn();
    prompts.subscribe('pages/index/index', popup)();
    prompts.need(vi.fn());
    expect(popup).not.toHaveBeenCalled();
    expect(openFallback).toHaveBeenCalledTimes(1);
  });

  it('paths compare without the leading slash and query', () => {
    expect(normalizePath('/pages/index/index?x=1')).toBe('pages/index/index');
    expect(normalizePath(undefined)).toBe('');
  });
});
