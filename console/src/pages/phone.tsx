import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post, put } from '../api';
import type { T } from '../i18n';
import type { ChannelRow } from './channels';

interface OutboxItem {
  seq: number;
  kind: string;
  id?: string;
  chatId?: string;
  type?: string;
  body?: string;
  caption?: string;
  emoji?: string;
}

const errorText = (err: unknown) => (err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Sandbox only: play the customer (and the phone) against the offline WhatsApp Web of a channel. */
export function PhonePage({ t, id }: { t: T; id?: string }) {
  const [channels, setChannels] = useState<ChannelRow[]>([]);
  const [outbox, setOutbox] = useState<OutboxItem[]>([]);
  const [note, setNote] = useState('');
  const [kind, setKind] = useState<'text' | 'media' | 'location'>('text');
  useEffect(() => void get<ChannelRow[]>('/console/api/channels').then(setChannels), []);
  const base = `/sandbox/channels/${id}`;
  const load = () => {
    if (id) void get<OutboxItem[]>(`${base}/outbox`).then(setOutbox, (err) => setNote(errorText(err)));
  };
  useEffect(load, [id]);
  const run = async (fn: () => Promise<unknown>) => {
    setNote('');
    try {
      await fn();
      load();
    } catch (err) {
      setNote(errorText(err));
    }
  };
  const write = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const from = String(f.get('from'));
    const group = String(f.get('group') ?? '').trim();
    const body: Record<string, unknown> = group ? { from: group, author: from } : { from };
    if (group) await put(`${base}/groups`, { id: group, participants: [from] });
    if (kind === 'text') body.text = String(f.get('text'));
    if (kind === 'location') body.location = { latitude: Number(f.get('lat')), longitude: Number(f.get('lng')) };
    if (kind === 'media') {
      const file = f.get('file') as File;
      body.media = { mimetype: file.type || 'application/octet-stream', dataBase64: await readBase64(file), filename: file.name };
      body.caption = String(f.get('text') ?? '');
    }
    const r = await post<{ messageId: string }>(`${base}/inbound`, body);
    setNote(`→ ${r.messageId}`);
  };
  return (
    <section aria-labelledby="h-phone">
      <h1 id="h-phone">{t('phone')}</h1>
      <label>
        {t('channel')}{' '}
        <select value={id ?? ''} onChange={(e) => (location.hash = `#/phone/${(e.target as HTMLSelectElement).value}`)}>
          <option value="">{t('chooseChannel')}</option>
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.number} ({c.state})
            </option>
          ))}
        </select>
      </label>
      {id && (
        <div class="columns">
          <form class="card phone" onSubmit={(e) => void run(() => write(e))} aria-label={t('send')}>
            <label>
              {t('from')} <input name="from" required inputMode="tel" defaultValue="5521988887777" />
            </label>
            <label>
              {t('group')} <input name="group" pattern="[\d\-]{5,40}@g\.us" />
            </label>
            <fieldset>
              <legend>{t('type')}</legend>
              {(['text', 'media', 'location'] as const).map((k) => (
                <label key={k} class="inline">
                  <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} /> {k === 'text' ? t('text') : k === 'media' ? t('media') : t('location')}
                </label>
              ))}
            </fieldset>
            {kind !== 'location' && (
              <label>
                {t('text')} <textarea name="text" required={kind === 'text'} />
              </label>
            )}
            {kind === 'media' && (
              <label>
                {t('media')} <input type="file" name="file" required accept="image/*" />
              </label>
            )}
            {kind === 'location' && (
              <>
                <label>
                  {t('latitude')} <input name="lat" type="number" step="any" required defaultValue="-22.9068" />
                </label>
                <label>
                  {t('longitude')} <input name="lng" type="number" step="any" required defaultValue="-43.1729" />
                </label>
              </>
            )}
            <button type="submit">{t('send')}</button>
          </form>
          <section class="card" aria-labelledby="h-outbox">
            <h2 id="h-outbox">
              {t('outbox')}{' '}
              <button type="button" onClick={load}>
                {t('refresh')}
              </button>{' '}
              <button type="button" onClick={() => void run(() => del(`${base}/outbox`))}>
                {t('remove')}
              </button>
            </h2>
            <ul class="chat">
              {outbox.map((m) => (
                <li key={m.seq} class="out">
                  <span class="muted">
                    {m.kind} · {m.chatId}
                  </span>
                  <div>{m.body ?? m.caption ?? m.emoji ?? `[${m.type ?? m.kind}]`}</div>
                  {m.kind === 'message' && m.id && (
                    <div class="row wrap">
                      <button type="button" onClick={() => void run(() => post(`${base}/messages/${encodeURIComponent(m.id!)}/ack`, { ack: 'delivered' }))}>
                        {t('ack')}
                      </button>
                      <button type="button" onClick={() => void run(() => post(`${base}/messages/${encodeURIComponent(m.id!)}/ack`, { ack: 'read' }))}>
                        {t('read')}
                      </button>
                      <button type="button" onClick={() => void run(() => post(`${base}/messages/${encodeURIComponent(m.id!)}/react`, { emoji: '👍' }))}>
                        {t('react')} 👍
                      </button>
                      <button type="button" onClick={() => void run(() => post(`${base}/messages/${encodeURIComponent(m.id!)}/revoke`))}>
                        {t('revoke')}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
      {note && (
        <p role="status" class="notice">
          {note}
        </p>
      )}
    </section>
  );
}
