import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { formatTime, Lang, T } from '../i18n';
import { StateBadge } from './channels';

interface Outbound {
  channels: { id: string; number: string; state: string; waiting: number; active: number; failed: number }[];
  failed: { id: string; channelId: string; chatId: string; kind: string; body?: string; statusReason?: string; createdAt?: string }[];
}

export function OutboundPage({ t, lang }: { t: T; lang: Lang }) {
  const [data, setData] = useState<Outbound | undefined>();
  const [note, setNote] = useState('');
  /** The message whose retry is in flight: its button is disabled until the answer (no double retry). */
  const [pending, setPending] = useState('');
  const load = () => void get<Outbound>('/console/api/outbound').then(setData);
  useEffect(load, []);
  // The public route: queued again under the same id, then sent by the channel's worker like any send.
  const retry = async (id: string) => {
    setPending(id);
    try {
      const m = await post<{ id: string; status: string }>(`/messages/${id}/retry`);
      setNote(`${t('retried')}: ${m.id} (${m.status})`);
    } catch (err) {
      setNote(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
    setPending('');
    load();
  };
  if (!data) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="h-outbound">
      <h1 id="h-outbound">
        {t('outbound')}{' '}
        <button type="button" onClick={load}>
          {t('refresh')}
        </button>
      </h1>
      <div class="table-wrap">
        <table id="queues-table">
          <thead>
            <tr>
              <th scope="col">{t('channel')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('waiting')}</th>
              <th scope="col">{t('active')}</th>
              <th scope="col">{t('failed')}</th>
            </tr>
          </thead>
          <tbody>
            {data.channels.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`#/channels/${c.id}`}>{c.number}</a>
                </td>
                <td>
                  <StateBadge state={c.state} />
                </td>
                <td>{c.waiting}</td>
                <td>{c.active}</td>
                <td>{c.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('failedSends')}</h2>
      {note && (
        <p role="status" class="notice" id="outbound-note">
          {note}
        </p>
      )}
      {data.failed.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('since')}</th>
                <th scope="col">Chat</th>
                <th scope="col">{t('text')}</th>
                <th scope="col">{t('reason')}</th>
                <th scope="col">
                  <span class="sr-only">{t('retry')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.failed.map((m) => (
                <tr key={m.id} data-message={m.id}>
                  <td>{formatTime(m.createdAt, lang)}</td>
                  <td>{m.chatId}</td>
                  <td>{m.body ?? `[${m.kind}]`}</td>
                  <td>{m.statusReason ?? '—'}</td>
                  <td>
                    <button type="button" class="retry" aria-label={`${t('retry')}: ${m.chatId}`} disabled={pending === m.id} onClick={() => void retry(m.id)}>
                      {t('retry')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
