import { useEffect, useMemo, useState } from 'preact/hooks';
import { accountQuery, ApiError, get, post } from '../api';
import { formatTime, Lang, T } from '../i18n';

export interface ChannelRow {
  id: string;
  service: string;
  number: string;
  companyId: string;
  description?: string;
  platforms: { slug: string; callbackUrl: string; enabled: boolean; disabledReason?: string; secretPreview: string }[];
  state: string;
  reason?: string;
  me?: string;
  lastError?: string;
  queueDepth: number;
  failedSends: number;
  lastInboundAt?: string;
  lastOutboundAt?: string;
}

export const STATES = ['STOPPED', 'STARTING', 'QR', 'AUTHENTICATED', 'READY', 'DISCONNECTED', 'FAILED', 'LOGGED_OUT'];

/** Live session updates of every channel of the account (cookie-authenticated EventSource). */
export function useSessionEvents(onStatus: (s: { channelId: string; state: string; reason?: string; me?: string }) => void): boolean {
  const [live, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource('/console/api/events' + accountQuery());
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('status', (e) => onStatus(JSON.parse((e as MessageEvent<string>).data)));
    return () => source.close();
  }, []);
  return live;
}

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state.toLowerCase()}`}>{state}</span>;
}

function NewChannel({ t, onCreated }: { t: T; onCreated: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const slug = String(f.get('slug'));
    try {
      const r = await post<{ channelId: string }>('/channels/setup/whatsappweb', {
        provider: { clientNumber: String(f.get('number')), companyId: String(f.get('company')) },
        startingPlatform: slug,
        platforms: [{ slug, callbackUrl: String(f.get('url')) }],
      });
      setOpen(false);
      onCreated(r.channelId);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  if (!open)
    return (
      <button type="button" id="new-channel" onClick={() => setOpen(true)}>
        {t('newChannel')}
      </button>
    );
  return (
    <form class="card grid-form" onSubmit={(e) => void submit(e)} aria-label={t('newChannel')}>
      <label>
        {t('number')} <input name="number" required inputMode="tel" placeholder="5521999999999" />
      </label>
      <label>
        companyId <input name="company" required />
      </label>
      <label>
        {t('slug')} <input name="slug" required pattern="[a-z0-9][a-z0-9_\-]*" placeholder="karoochat" />
      </label>
      <label>
        {t('callbackUrl')} <input name="url" type="url" required placeholder="https://example.com/webhook" />
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit">{t('create')}</button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function ChannelsPage({ t, lang }: { t: T; lang: Lang }) {
  const [rows, setRows] = useState<ChannelRow[] | undefined>();
  const [query, setQuery] = useState('');
  const [state, setState] = useState('');
  const load = () => get<ChannelRow[]>('/console/api/channels').then(setRows);
  useEffect(() => void load(), []);
  const live = useSessionEvents((s) => setRows((prev) => prev?.map((r) => (r.id === s.channelId ? { ...r, state: s.state, reason: s.reason, me: s.me } : r))));
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (rows ?? []).filter(
      (r) =>
        (!state || r.state === state) &&
        (!q || [r.id, r.number, r.companyId, r.description ?? '', r.me ?? '', ...r.platforms.map((p) => p.slug)].some((v) => v.toLowerCase().includes(q))),
    );
  }, [rows, query, state]);

  return (
    <section aria-labelledby="h-channels">
      <h1 id="h-channels">
        {t('channels')} {live && <span class="live">● {t('live')}</span>}
      </h1>
      <div class="filters">
        <label>
          {t('search')} <input type="search" id="channel-search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('state')}{' '}
          <select id="state-filter" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
            <option value="">{t('all')}</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <NewChannel t={t} onCreated={(id) => (location.hash = `#/channels/${id}`)} />
      </div>
      {!rows ? (
        <p>{t('loading')}</p>
      ) : shown.length === 0 ? (
        <p>{t('noChannels')}</p>
      ) : (
        <div class="table-wrap">
          <table id="channels-table">
            <thead>
              <tr>
                <th scope="col">{t('number')}</th>
                <th scope="col">{t('provider')}</th>
                <th scope="col">{t('state')}</th>
                <th scope="col">{t('lastError')}</th>
                <th scope="col">{t('queue')}</th>
                <th scope="col">{t('lastIn')}</th>
                <th scope="col">{t('lastOut')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.id} data-channel={r.id}>
                  <td>
                    <a href={`#/channels/${r.id}`}>{r.number}</a>
                    {r.description && <div class="muted">{r.description}</div>}
                  </td>
                  <td>{r.service}</td>
                  <td>
                    <StateBadge state={r.state} />
                  </td>
                  <td>{r.lastError ?? '—'}</td>
                  <td>{r.queueDepth}</td>
                  <td>{formatTime(r.lastInboundAt, lang)}</td>
                  <td>{formatTime(r.lastOutboundAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
