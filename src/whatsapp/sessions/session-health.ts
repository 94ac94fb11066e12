import { Injectable, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Counter, Gauge } from 'prom-client';
import { ReadinessRegistry } from '../../health/readiness.registry';
import { MetricsService } from '../../metrics/metrics.service';
import type { StatusChange } from './channel-session';
import { SESSION_CHANGED, SessionManager } from './session-manager';
import { SESSION_STATES } from './session-state';

/**
 * Sessions in /metrics and /health/ready.
 *
 * Readiness stays up whatever the sessions' states: readiness decides whether this process
 * gets traffic, and taking the API away from every account because one phone logged out or
 * one browser keeps failing would help nobody (restarting the process does not fix a phone).
 * The entry reports the counts so monitors can alert on FAILED / LOGGED_OUT instead; the
 * gauge is the thing to alert on.
 */
@Injectable()
export class SessionHealth implements OnModuleInit {
  private transitions?: Counter<'state' | 'reason'>;

  constructor(
    private readonly manager: SessionManager,
    private readonly metrics: MetricsService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const manager = this.manager;
    new Gauge({
      name: 'whatsapp_sessions',
      help: 'WhatsApp Web sessions run by this server process, by state',
      labelNames: ['state'] as const,
      registers: [this.metrics.registry],
      collect() {
        const counts = manager.countsByState();
        for (const state of SESSION_STATES) this.set({ state }, counts[state]);
      },
    });
    this.transitions = new Counter({
      name: 'whatsapp_session_transitions_total',
      help: 'WhatsApp Web session state changes in this process, by new state and reason',
      labelNames: ['state', 'reason'] as const,
      registers: [this.metrics.registry],
    });
    this.readiness.register('sessions', async () => ({
      up: true,
      details: { engine: manager.engineName, restoring: manager.isRestoring(), ...manager.countsByState() },
    }));
  }

  @OnEvent(SESSION_CHANGED)
  countTransition(change: StatusChange): void {
    if (change.kind !== 'state' || change.previousState === change.status.state) return;
    // The reason's leading word only: detail text would make the label set unbounded.
    const reason = /^[A-Z_]+/.exec(change.status.reason ?? '')?.[0] ?? 'NONE';
    this.transitions?.inc({ state: change.status.state, reason });
  }
}
