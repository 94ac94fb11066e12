import { useEffect, useState } from 'preact/hooks';
import { accountQuery, ApiError, del, get, patch, post } from '../api';
import { Confirm } from '../components/confirm';
import { formatTime, Lang, T } from '../i18n';
import { StateBadge } from './channels';

interface Status {
  state: string;
  reason?: string;
  me?: string;
  qrRevision?: string;
  pairingCode?: string;
}
interface Platform {
  slug: string;
  callbackUrl: string;
  enabled: boolean;
  disabledReason?: string;
  secretPreview: string;
}
interface Message {
  id: string;
  direction: string;
  chatId: string;
  kind: string;
  body?: string;
  caption?: string;
  status: string;
  statusReason?: string;
  createdAt?: string;
}

const errorText = (err: unknown) => (err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));

function Session({ t, id, sandbox }: { t: T; id: string; sandbox: boolean }) {
  const [status, setStatus] = useState<Status | undefined>();
  const [pending, setPending] = useState<string | undefined>();
  const [pairing, setPairing] = useState('');
  const [message, setMessage] = useState('');
  useEffect(() => {
    const source = new EventSource(`/channels/${id}/session/events${accountQuery()}`);
    source.addEventListener('status', (e) => setStatus(JSON.parse((e as MessageEvent<string>).data)));
    return () => source.close();
  }, [id]);
  const act = async (action: string) => {
    setPending(undefined);
    setMessage('');
    try {
      await post(`/channels/${id}/session/${action}`);
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  const requestCode = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await post<{ formatted: string }>(`/channels/${id}/session/pairing-code`, { phoneNumber: pairing });
      setMessage(`${t('pairingCode')}: ${r.formatted}`);
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  const link = async () => {
    setMessage('');
    try {
      await post(`/sandbox/channels/${id}/link`, {});
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  return (
    <section class="card" aria-labelledby="h-session">
      <h2 id="h-session">
        {t('session')}{' '}
        <span id="session-state" aria-live="polite">
          {status ? <StateBadge state={status.state} /> : t('loading')}
        </span>
      </h2>
      {status?.reason && <p class="muted">{status.reason}</p>}
      {status?.me && <p>{status.me}</p>}
      <div class="row">
        {(['start', 'stop', 'restart', 'logout'] as const).map((a) => (
          <button type="button" key={a} id={`session-${a}`} class={a === 'logout' ? 'danger' : ''} onClick={() => setPending(a)}>
            {t(a)}
          </button>
        ))}
      </div>
      {pending && <Confirm t={t} message={`${t('confirmAction')} ${t(pending as 'start')}`} onCancel={() => setPending(undefined)} onConfirm={() => void act(pending)} />}
      {status?.state === 'QR' && status.qrRevision && (
        <div class="qr">
          <p>{t('scanQr')}</p>
          <img id="qr" width={240} height={240} alt={t('qrAlt')} src={`/channels/${id}/session/qr.png?rev=${status.qrRevision}${accountQuery('&')}`} />
          {sandbox && (
            <button type="button" id="sandbox-link" onClick={() => void link()}>
              {t('linkSandbox')}
            </button>
          )}
        </div>
      )}
      {status?.pairingCode && (
        <p>
          {t('pairingCode')}: <strong id="pairing-code">{status.pairingCode}</strong>
        </p>
      )}
      {status && ['QR', 'STARTING', 'STOPPED', 'LOGGED_OUT'].includes(status.state) && (
        <form class="row" onSubmit={(e) => void requestCode(e)}>
          <label>
            {t('pairingPhone')} <input value={pairing} inputMode="tel" required onInput={(e) => setPairing((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('getPairingCode')}</button>
        </form>
      )}
      {message && (
        <p role="status" class="notice">
          {message}
        </p>
      )}
    </section>
  );
}

function PlatformRow({ t, id, p, reload }: { t: T; id: string; p: Platform; reload: () => void }) {
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState(p.callbackUrl);
  const [note, setNote] = useState('');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const base = `/channels/${id}/platforms/${encodeURIComponent(p.slug)}`;
  const run = async (fn: () => Promise<string | void>) => {
    setNote('');
    try {
      const text = await fn();
      if (text) setNote(text);
      reload();
    } catch (err) {
      setNote(errorText(err));
    }
  };
  return (
    <li class="platform" data-slug={p.slug}>
      <div class="row wrap">
        <strong>{p.slug}</strong>
        <span class={p.enabled ? 'badge ok' : 'badge bad'}>{p.enabled ? t('enabled') : t('disabled')}</span>
        {p.disabledReason && <span class="muted">{p.disabledReason}</span>}
        <code class="muted">{p.secretPreview}</code>
      </div>
      {editing ? (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await patch(base, { callbackUrl: url });
              setEditing(false);
            });
          }}
        >
          <label>
            {t('callbackUrl')} <input type="url" required value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('save')}</button>
          <button type="button" onClick={() => setEditing(false)}>
            {t('cancel')}
          </button>
        </form>
      ) : (
        <p class="url">{p.callbackUrl}</p>
      )}
      <div class="row wrap">
        <button type="button" class="test-event" onClick={() => void run(async () => `${t('testQueued')} ${(await post<{ eventId: string }>(`/console/api${base}/test-event`, {})).eventId}`)}>
          {t('sendTest')}
        </button>
        <button type="button" onClick={() => setEditing(true)}>
          {t('edit')}
        </button>
        <button type="button" onClick={() => void run(() => patch(base, { enabled: !p.enabled }).then(() => undefined))}>
          {p.enabled ? t('disable') : t('enable')}
        </button>
        <button type="button" onClick={() => void run(async () => `${t('newSecret')} ${(await post<{ secret: string }>(`${base}/rotate-secret`)).secret}`)}>
          {t('rotateSecret')}
        </button>
        <button type="button" class="danger" onClick={() => setConfirmRemove(true)}>
          {t('remove')}
        </button>
      </div>
      {confirmRemove && (
        <Confirm
          t={t}
          message={`${t('remove')} ${p.slug}?`}
          onCancel={() => setConfirmRemove(false)}
          onConfirm={() => {
            setConfirmRemove(false);
            void run(() => del(base).then(() => undefined));
          }}
        />
      )}
      {note && (
        <p role="status" class="notice">
          <code>{note}</code>
        </p>
      )}
    </li>
  );
}

function Platforms({ t, id }: { t: T; id: string }) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const [note, setNote] = useState('');
  const load = () => void get<Platform[]>(`/channels/${id}/platforms`).then(setPlatforms);
  useEffect(load, [id]);
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    try {
      const r = await post<{ secret: string }>(`/channels/${id}/platforms`, { slug: String(f.get('slug')), callbackUrl: String(f.get('url')) });
      setNote(`${t('newSecret')} ${r.secret}`);
      form.reset();
      load();
    } catch (err) {
      setNote(errorText(err));
    }
  };
  return (
    <section class="card" aria-labelledby="h-platforms">
      <h2 id="h-platforms">{t('platforms')}</h2>
      <ul class="plain">
        {platforms.map((p) => (
          <PlatformRow key={p.slug} t={t} id={id} p={p} reload={load} />
        ))}
      </ul>
      <form class="row wrap" onSubmit={(e) => void add(e)} aria-label={t('addPlatform')}>
        <label>
          {t('slug')} <input name="slug" required pattern="[a-z0-9][a-z0-9_\-]*" />
        </label>
        <label>
          {t('callbackUrl')} <input name="url" type="url" required />
        </label>
        <button type="submit">{t('addPlatform')}</button>
      </form>
      {note && (
        <p role="status" class="notice">
          <code>{note}</code>
        </p>
      )}
    </section>
  );
}

function Messages({ t, lang, id }: { t: T; lang: Lang; id: string }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const load = () => void get<Message[]>(`/console/api/channels/${id}/messages?limit=30`).then(setMessages);
  useEffect(load, [id]);
  return (
    <section class="card" aria-labelledby="h-messages">
      <h2 id="h-messages">
        {t('recentMessages')}{' '}
        <button type="button" onClick={load}>
          {t('refresh')}
        </button>
      </h2>
      {messages.length === 0 ? (
        <p>{t('noData')}</p>
      ) : (
        <ul class="chat">
          {messages.map((m) => (
            <li key={m.id} class={m.direction === 'inbound' ? 'in' : 'out'}>
              <span class="muted">
                {m.direction === 'inbound' ? t('inbound') : t('outboundShort')} · {m.chatId} · {formatTime(m.createdAt, lang)} · {m.status}
                {m.statusReason ? ` (${m.statusReason})` : ''}
              </span>
              <div>{m.body ?? m.caption ?? `[${m.kind}]`}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ChannelPage({ t, lang, id, sandbox }: { t: T; lang: Lang; id: string; sandbox: boolean }) {
  const [channel, setChannel] = useState<{ provider: { clientNumber: string }; description?: string } | undefined>();
  useEffect(() => void get<typeof channel>(`/channels/${id}`).then(setChannel), [id]);
  return (
    <>
      <h1>
        {t('channel')} {channel?.provider.clientNumber ?? ''}
      </h1>
      <p>
        <a href="#/channels">← {t('channels')}</a> · <a href={`#/deliveries?channelId=${id}`}>{t('deliveries')}</a>
        {sandbox && (
          <>
            {' '}
            · <a href={`#/phone/${id}`}>{t('phone')}</a>
          </>
        )}
      </p>
      <div class="columns">
        <Session t={t} id={id} sandbox={sandbox} />
        <Platforms t={t} id={id} />
      </div>
      <Messages t={t} lang={lang} id={id} />
    </>
  );
}
