import { chromiumLaunch, LEAN_FLAGS, mergeFlags, REQUIRED_FLAGS } from './chromium-launch';

describe('Chromium launch', () => {
  it('merges every --disable-features / --enable-features into one of each (Chromium keeps only the last)', () => {
    const args = mergeFlags(['--disable-features=A,B', '--x'], ['--disable-features=B,C', '--enable-features=E'], ['--enable-features=F,E']);
    expect(args.filter((a) => a.startsWith('--disable-features'))).toEqual(['--disable-features=A,B,C']);
    expect(args.filter((a) => a.startsWith('--enable-features'))).toEqual(['--enable-features=E,F']);
    expect(args).toContain('--x');
  });

  it('lets a later flag of the same name replace an earlier one', () => {
    expect(mergeFlags(['--renderer-process-limit=1'], ['--renderer-process-limit=2'])).toEqual(['--renderer-process-limit=2']);
  });

  it('defaults to chromium-headless-shell with the required and lean flags, signals left to the server', () => {
    const launch = chromiumLaunch({ chromiumPath: '/usr/lib/chromium/chromium-headless-shell', headless: 'shell', leanFlags: true, extraArgs: ['--disable-features=Foo'] });
    expect(launch).toMatchObject({ headless: 'shell', handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    for (const flag of REQUIRED_FLAGS) expect(launch.args).toContain(flag);
    expect(launch.args).toContain('--renderer-process-limit=1');
    expect(launch.args).toContain('--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess,Foo');
    // Risky settings stay off unless given explicitly.
    expect(launch.args.join(' ')).not.toMatch(/single-process|max-old-space|imagesEnabled|no-zygote/);
  });

  it('drops the lean set when asked, and uses new headless for full Chromium', () => {
    const launch = chromiumLaunch({ chromiumPath: '/usr/bin/chromium', headless: 'new', leanFlags: false, extraArgs: [] });
    expect(launch.headless).toBe(true);
    expect(launch.args).toEqual([...REQUIRED_FLAGS]);
    for (const flag of LEAN_FLAGS) expect(launch.args).not.toContain(flag);
  });
});
