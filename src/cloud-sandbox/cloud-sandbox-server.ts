import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudSandboxState, type NumberConfig, type TemplateDef } from './cloud-sandbox-state';
import { registerControlRoutes } from './control-api.routes';
import { registerD360Routes } from './d360-api.routes';
import { registerGraphRoutes } from './graph-api.routes';
import { HttpRouter } from './http-router';

export interface CloudSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  numbers?: Array<NumberConfig & { templates?: TemplateDef[] }>;
  /** When set, the control API requires `X-Sandbox-Control-Token`. */
  controlToken?: string;
  clock?: () => number;
}

/**
 * The offline WhatsApp Cloud API (Meta Graph API + 360dialog) as a real HTTP server on loopback.
 * One server serves both flavours: Graph paths start with `/vNN.N/`, 360dialog's are `/messages` and
 * `/v1/configs/webhook`, the control API is under `/_control/`.
 */
export class CloudSandboxServer {
  readonly state: CloudSandboxState;
  private server?: Server;
  private baseUrl = '';

  constructor(private readonly options: CloudSandboxOptions = {}) {
    this.state = new CloudSandboxState(options.clock);
    for (const { templates, ...config } of options.numbers ?? []) this.state.addNumber(config, templates);
  }

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const router = new HttpRouter();
    registerControlRoutes(router, this.state, this.options.controlToken);
    registerD360Routes(router, this.state);
    registerGraphRoutes(router, this.state);
    const server = createServer((req, res) => void router.handle(req, res, this.baseUrl));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    this.baseUrl = `http://${address}:${port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
