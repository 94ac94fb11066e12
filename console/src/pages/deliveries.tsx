import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { LineChart } from '../components/chart';
import { formatTime, Lang, T } from '../i18n';
import type { ChannelRow } from './channels';

const TYPES = ['message.received', 'message.status', 'message.revoked', 'message.edited', 'message.reaction', 'group.join', 'group.leave', 'session.status', 'webhook.test'];
const EVENT_STATES = ['pending', 'failed', 'delivered', 'dead'];

interface EventSummary {
  eventId: string;
  type: string;
  channelId: string;
  platform: string;
  state: string;
  attemptCount: number;
  lastStatus?: number;
  lastError?: string;
  createdAt: string;
}
interface Attempt {
  attempt: number;
  at: string;
  status?: number;
  latencyMs: number;
  error?: string;
  outcome: string;
}
interface Health {
  bucketMs: number;
  endpoints: {
    channelId: string;
    number: string;
    platform: string;
    enabled: boolean;
    disabledReason?: string;
    attempts: number;
    successRate?: number;
    p50?: number;
    p99?: number;
    series: { t: number; successRate?: number; p50?: number; p99?: number }[];
  }[];
}

const BODY_LIMIT = 2_000;
const errorText = (err: unknown) => (err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
const pct = (v?: number) => (v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);

function EventDetail({ t, lang, eventId }: { t: T; lang: Lang; eventId: string }) {
  const [detail, setDetail] = useState<{ attempts: Attempt[]; payload: unknown } | undefined>();
  useEffect(() => void get<typeof detail>(`/webhooks/events/${eventId}`).then(setDetail), [eventId]);
  if (!detail) return <p>{t('loading')}</p>;
  const body = JSON.stringify(detail.payload, null, 2);
  return (
    <div class="detail">
      <table>
        <caption>{t('attempts')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('since')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('latency')}</th>
            <th scope="col">{t('error')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.attempts.map((a) => (
            <tr key={a.attempt}>
              <td>{a.attempt}</td>
              <td>{formatTime(a.at, lang)}</td>
              <td>
                {a.status ?? '—'} {a.outcome}
              </td>
              <td>{a.latencyMs} ms</td>
              <td>{a.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('request')}</h3>
      <pre>{body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}…` : body}</pre>
    </div>
  );
}

function EndpointHealth({ t, channelId }: { t: T; channelId: string }) {
  const [window, setWindow] = useState('1h');
  const [health, setHealth] = useState<Health | undefined>();
  useEffect(() => void get<Health>(`/console/api/deliveries/health?window=${window}${channelId ? `&channelId=${channelId}` : ''}`).then(setHealth), [window, channelId]);
  return (
    <section aria-labelledby="h-health">
      <h2 id="h-health">{t('endpointHealth')}</h2>
      <label>
        {t('window')}{' '}
        <select value={window} onChange={(e) => setWindow((e.target as HTMLSelectElement).value)}>
          <option value="1h">1h</option>
          <option value="24h">24h</option>
          <option value="7d">7d</option>
        </select>
      </label>
      <div class="cards">
        {health?.endpoints.map((e) => (
          <article class="card" key={`${e.channelId}/${e.platform}`} data-endpoint={`${e.channelId}/${e.platform}`}>
            <h3>
              {e.number} › {e.platform} <span class={e.enabled ? 'badge ok' : 'badge bad'}>{e.enabled ? t('enabled') : t('disabled')}</span>
            </h3>
            {e.disabledReason && <p class="error">{e.disabledReason}</p>}
            <p>
              {t('successRate')}: <strong class="success-rate">{pct(e.successRate)}</strong> · p50 {e.p50 ?? '—'} ms · p99 {e.p99 ?? '—'} ms · {e.attempts} {t('attempts')}
            </p>
            <LineChart
              title={`${t('latency')} (ms)`}
              times={e.series.map((s) => s.t)}
              series={[
                { label: 'p50', values: e.series.map((s) => s.p50), className: 's1' },
                { label: 'p99', values: e.series.map((s) => s.p99), className: 's2' },
              ]}
            />
            <LineChart title={t('successRate')} times={e.series.map((s) => s.t)} format={pct} series={[{ label: '%', values: e.series.map((s) => s.successRate), className: 's3' }]} />
          </article>
        ))}
      </div>
    </section>
  );
}

export function DeliveriesPage({ t, lang }: { t: T; lang: Lang }) {
  const initial = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const [channels, setChannels] = useState<ChannelRow[]>([]);
  const [filters, setFilters] = useState({ channelId: initial.get('channelId') ?? '', platform: '', type: '', state: '', since: '' });
  const [events, setEvents] = useState<{ data: EventSummary[]; total: number } | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [note, setNote] = useState('');
  useEffect(() => void get<ChannelRow[]>('/console/api/channels').then(setChannels), []);
  const load = () => {
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, k === 'since' ? new Date(v).toISOString() : v);
    void get<{ data: (EventSummary & { updatedAt: string })[]; total: number }>(`/webhooks/events?${q}`).then(
      // While an event moves between the open and the finished log it can be listed twice: keep its newest copy.
      (page) => {
        const newest = new Map<string, EventSummary & { updatedAt: string }>();
        for (const e of page.data) if (!newest.has(e.eventId) || newest.get(e.eventId)!.updatedAt < e.updatedAt) newest.set(e.eventId, e);
        setEvents({ ...page, data: page.data.filter((e) => newest.get(e.eventId) === e) });
      },
      (err) => setNote(errorText(err)),
    );
  };
  useEffect(load, [filters]);
  const set = (k: keyof typeof filters) => (e: Event) => setFilters({ ...filters, [k]: (e.target as HTMLInputElement).value });
  const platforms = [...new Set(channels.filter((c) => !filters.channelId || c.id === filters.channelId).flatMap((c) => c.platforms.map((p) => p.slug)))];
  const replay = async (eventId: string) => {
    try {
      const r = await post<{ state: string }>(`/webhooks/events/${eventId}/replay`);
      setNote(`${t('replayed')}: ${eventId} (${r.state})`);
      setTimeout(load, 500);
    } catch (err) {
      setNote(errorText(err));
    }
  };
  const replayFailed = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await post<{ replayed: number }>('/webhooks/replay', {
        channelId: filters.channelId,
        platform: filters.platform,
        since: new Date(filters.since || Date.now() - 86_400_000).toISOString(),
      });
      setNote(`${t('replayed')}: ${r.replayed}`);
      setTimeout(load, 500);
    } catch (err) {
      setNote(errorText(err));
    }
  };
  return (
    <section aria-labelledby="h-deliveries">
      <h1 id="h-deliveries">{t('deliveries')}</h1>
      <form class="filters" onSubmit={(e) => void replayFailed(e)}>
        <label>
          {t('channel')}{' '}
          <select id="filter-channel" value={filters.channelId} onChange={set('channelId')}>
            <option value="">{t('all')}</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number}
              </option>
            ))}
          </select>
        </label>
        <label>
          Platform{' '}
          <select id="filter-platform" value={filters.platform} onChange={set('platform')}>
            <option value="">{t('all')}</option>
            {platforms.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          {t('type')}{' '}
          <select id="filter-type" value={filters.type} onChange={set('type')}>
            <option value="">{t('all')}</option>
            {TYPES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          {t('status')}{' '}
          <select id="filter-state" value={filters.state} onChange={set('state')}>
            <option value="">{t('all')}</option>
            {EVENT_STATES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          {t('since')} <input type="datetime-local" id="filter-since" value={filters.since} onChange={set('since')} />
        </label>
        <button type="button" onClick={load}>
          {t('refresh')}
        </button>
        <button type="submit" id="replay-failed" disabled={!filters.channelId || !filters.platform}>
          {t('replayFailed')}
        </button>
      </form>
      {note && (
        <p role="status" class="notice" id="deliveries-note">
          {note}
        </p>
      )}
      {!events ? (
        <p>{t('loading')}</p>
      ) : events.data.length === 0 ? (
        <p>{t('noData')}</p>
      ) : (
        <div class="table-wrap">
          <table id="events-table">
            <thead>
              <tr>
                <th scope="col">{t('type')}</th>
                <th scope="col">Platform</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('attempts')}</th>
                <th scope="col">HTTP</th>
                <th scope="col">{t('error')}</th>
                <th scope="col">{t('since')}</th>
                <th scope="col">
                  <span class="sr-only">{t('details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((e) => (
                <Fragment key={e.eventId}>
                  <tr data-event={e.eventId} data-type={e.type} data-state={e.state}>
                    <td>{e.type}</td>
                    <td>{e.platform}</td>
                    <td>
                      <span class={`badge ev-${e.state}`}>{e.state}</span>
                    </td>
                    <td>{e.attemptCount}</td>
                    <td class="http-status">{e.lastStatus ?? '—'}</td>
                    <td>{e.lastError ?? ''}</td>
                    <td>{formatTime(e.createdAt, lang)}</td>
                    <td class="row">
                      <button type="button" aria-expanded={open === e.eventId} onClick={() => setOpen(open === e.eventId ? undefined : e.eventId)}>
                        {t('details')}
                      </button>
                      <button type="button" class="replay" onClick={() => void replay(e.eventId)}>
                        {t('replay')}
                      </button>
                    </td>
                  </tr>
                  {open === e.eventId && (
                    <tr>
                      <td colSpan={8}>
                        <EventDetail t={t} lang={lang} eventId={e.eventId} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <EndpointHealth t={t} channelId={filters.channelId} />
    </section>
  );
}
