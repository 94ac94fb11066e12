import { join } from 'node:path';
import { AppConfig } from '../../../config/app-config';
import { sandboxClientOptions } from '../../sandbox/sandbox-page-driver';
import { EngineListener, EngineSession, MessagingEngine, SessionSpec } from '../messaging-engine.port';
import { ChromiumLaunch, chromiumLaunch } from './chromium-launch';
import { killOrphanBrowsers, killProfileBrowsers } from './chromium-processes';
import { WwebjsClientExtras, WwebjsSession } from './wwebjs.session';

export interface WwebjsEngineOptions {
  name: 'wwebjs' | 'sandbox';
  launch: ChromiumLaunch;
  extras: WwebjsClientExtras;
  /** Parent of every session's data dir: what shutdown sweeps for stray browsers. */
  sessionsRoot: string;
}

/**
 * whatsapp-web.js in Debian's Chromium, one browser per session. The same adapter serves real
 * WhatsApp Web (`wwebjs`) and the offline sandbox page (`sandbox`: the library's local web
 * version cache serves our page as https://web.whatsapp.com/, and sessions expose the page driver).
 */
export class WwebjsEngine extends MessagingEngine {
  readonly name: string;

  constructor(private readonly options: WwebjsEngineOptions) {
    super();
    this.name = options.name;
  }

  static fromConfig(config: AppConfig): WwebjsEngine {
    const sandbox = config.whatsapp.engine === 'sandbox';
    return new WwebjsEngine({
      name: config.whatsapp.engine,
      launch: chromiumLaunch(config.whatsapp),
      extras: sandbox ? sandboxClientOptions() : {},
      sessionsRoot: join(config.storage.dataDir, 'sessions'),
    });
  }

  get launch(): ChromiumLaunch {
    return this.options.launch;
  }

  createSession(spec: SessionSpec, listener: EngineListener): EngineSession {
    return new WwebjsSession(spec, listener, {
      engineName: this.name,
      launch: this.options.launch,
      extras: this.options.extras,
      sandbox: this.options.name === 'sandbox',
    });
  }

  /** Browsers a server killed hard left behind (their profiles would be locked): gone before any session starts. */
  override async boot(): Promise<number> {
    return killOrphanBrowsers(`${this.options.sessionsRoot}/`);
  }

  /** Kills any browser still running on a profile under the sessions root. */
  override async shutdown(): Promise<void> {
    await killProfileBrowsers(`${this.options.sessionsRoot}/`, true);
  }
}
