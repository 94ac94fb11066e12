import { newNumericId } from './cloud-ids';

export type Flavour = 'meta' | 'd360';

export interface TemplateDef {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  components: Array<Record<string, unknown>>;
}

export interface NumberConfig {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  flavour: Flavour;
  /** Meta flavour: the bearer token and the app secret that signs webhooks. */
  accessToken?: string;
  appSecret?: string;
  /** 360dialog flavour: the D360-API-KEY. */
  apiKey?: string;
  webhook?: { url: string; headers?: Record<string, string> };
  /** Statuses emitted on their own after each accepted send, in order (sandbox convenience; none by default). */
  autoStatuses?: Array<'sent' | 'delivered' | 'read'>;
}

export interface OutboxEntry {
  id: string;
  to: string;
  type: string;
  /** The request body exactly as received (the fields tests assert on). */
  request: Record<string, unknown>;
  acceptedAt: string;
  status: 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';
  error?: { code: number; details: string };
  pricingCategory: string;
}

export interface WebhookDelivery {
  at: string;
  url: string;
  status?: number;
  error?: string;
  body: unknown;
}

export interface NumberState {
  config: NumberConfig;
  templates: TemplateDef[];
  outbox: OutboxEntry[];
  /** Customer wa_id → epoch ms of their latest inbound message (opens the 24 h window). */
  lastInbound: Map<string, number>;
  inboundIds: Set<string>;
  readMarks: string[];
  injected: Array<{ code: number; remaining: number }>;
  deliveries: WebhookDelivery[];
}

export interface StoredMedia {
  id: string;
  phoneNumberId: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
}

/** Every test number starts with Meta's sample template, like a new WABA. */
export function defaultTemplates(): TemplateDef[] {
  return [
    {
      id: newNumericId(),
      name: 'hello_world',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
        { type: 'BODY', text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta.' },
        { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
      ],
    },
  ];
}

/** All in memory: the fake is for tests and local development, a restart starts clean. */
export class CloudSandboxState {
  readonly numbers = new Map<string, NumberState>();
  readonly media = new Map<string, StoredMedia>();
  private clockOffsetMs = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  addNumber(config: NumberConfig, templates: TemplateDef[] = defaultTemplates()): NumberState {
    const state: NumberState = {
      config,
      templates,
      outbox: [],
      lastInbound: new Map(),
      inboundIds: new Set(),
      readMarks: [],
      injected: [],
      deliveries: [],
    };
    this.numbers.set(config.phoneNumberId, state);
    return state;
  }

  byApiKey(apiKey: string | undefined): NumberState | undefined {
    if (!apiKey) return undefined;
    return [...this.numbers.values()].find((n) => n.config.flavour === 'd360' && n.config.apiKey === apiKey);
  }

  byWaba(wabaId: string): NumberState | undefined {
    return [...this.numbers.values()].find((n) => n.config.wabaId === wabaId);
  }

  findOutbox(id: string): { number: NumberState; entry: OutboxEntry } | undefined {
    for (const number of this.numbers.values()) {
      const entry = number.outbox.find((e) => e.id === id);
      if (entry) return { number, entry };
    }
    return undefined;
  }

  /** Takes the next injected error, if any, consuming one use. */
  takeInjected(number: NumberState): number | undefined {
    const next = number.injected[0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) number.injected.shift();
    return next.code;
  }
}
