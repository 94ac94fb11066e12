/**
 * How sessions launch Chromium. Measured on this kind of machine (docs/whatsapp-sessions.md,
 * bench/sessions-memory.bench.ts): Debian's chromium-headless-shell with the lean flags below
 * uses about a quarter of the memory of whatsapp-web.js's defaults, LocalAuth intact.
 */

/** Needed to run at all here (root, containers, no GPU) and to keep the browser quiet. */
export const REQUIRED_FLAGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--disable-extensions',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/**
 * Each measured to save memory with no effect on WhatsApp Web: the hidden omnibox popup
 * renderer (both feature names are needed), the spare renderer, the network service and GPU
 * in the browser process, no software rasteriser. Deliberately absent: `--single-process`,
 * V8 heap caps and image blocking (unproven on real WhatsApp Web), `--no-zygote` (costs memory).
 */
export const LEAN_FLAGS = [
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess',
  '--renderer-process-limit=1',
  '--enable-features=NetworkServiceInProcess2',
  '--in-process-gpu',
  '--disable-software-rasterizer',
] as const;

const LIST_FLAGS = ['--disable-features', '--enable-features'];

/**
 * Chromium honours only the last `--disable-features`/`--enable-features`: merge every
 * occurrence into one of each (order kept, duplicates dropped). Other flags keep their order;
 * a later duplicate of the same flag name replaces an earlier one.
 */
export function mergeFlags(...groups: readonly (readonly string[])[]): string[] {
  const lists = new Map<string, string[]>(LIST_FLAGS.map((f) => [f, []]));
  const plain = new Map<string, string>();
  for (const arg of groups.flat()) {
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const list = lists.get(name);
    if (list) {
      for (const feature of arg.slice(eq + 1).split(','))
        if (feature && !list.includes(feature)) list.push(feature);
    } else {
      plain.delete(name);
      plain.set(name, arg);
    }
  }
  const merged = [...plain.values()];
  for (const [name, features] of lists) if (features.length) merged.push(`${name}=${features.join(',')}`);
  return merged;
}

export interface ChromiumSettings {
  chromiumPath: string;
  headless: 'shell' | 'new';
  leanFlags: boolean;
  extraArgs: string[];
}

/** What the engine hands to puppeteer (through whatsapp-web.js's `puppeteer` option). */
export interface ChromiumLaunch {
  executablePath: string;
  headless: 'shell' | true;
  args: string[];
  handleSIGINT: false;
  handleSIGTERM: false;
  handleSIGHUP: false;
}

export function chromiumLaunch(settings: ChromiumSettings): ChromiumLaunch {
  return {
    executablePath: settings.chromiumPath,
    // puppeteer: 'shell' = the old headless mode (chromium-headless-shell), true = new headless.
    headless: settings.headless === 'shell' ? 'shell' : true,
    args: mergeFlags(REQUIRED_FLAGS, settings.leanFlags ? LEAN_FLAGS : [], settings.extraArgs),
    // The server's own shutdown closes browsers; puppeteer's signal handlers would race it.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}
