import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Records everything that would mean the page misbehaved: console errors, uncaught exceptions, dialogs. */
export interface Watch {
  errors: string[];
  dialogs: string[];
}

export function watch(page: Page, acceptDialogWith?: () => string | undefined): Watch {
  const w: Watch = { errors: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    const answer = acceptDialogWith?.();
    void (answer !== undefined ? d.accept(answer) : d.dismiss());
  });
  return w;
}
