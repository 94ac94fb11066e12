import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { currentSession, del, get, Session, useSession } from './api';
import { initialLang, Lang, saveLang, translator } from './i18n';
import { ChannelPage } from './pages/channel';
import { ChannelsPage } from './pages/channels';
import { DeliveriesPage } from './pages/deliveries';
import { OutboundPage } from './pages/outbound';
import { OverviewPage } from './pages/overview';
import { PhonePage } from './pages/phone';
import { SignInPage } from './pages/sign-in';
import './styles.css';

function useHashRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | undefined>();
  const [checked, setChecked] = useState(false);
  const [accounts, setAccounts] = useState<string[]>([]);
  const [account, setAccount] = useState(() => sessionStorage.getItem('omc-console-account') ?? '');
  const route = useHashRoute();
  const t = translator(lang);
  const signedOut = useCallback(() => setSession(undefined), []);
  useSession(session, account, signedOut);

  useEffect(() => {
    saveLang(lang);
  }, [lang]);
  useEffect(() => {
    void currentSession()
      .then(setSession)
      .finally(() => setChecked(true));
  }, []);
  useEffect(() => {
    if (session?.kind !== 'admin') return;
    get<{ data: string[] }>('/console/api/accounts')
      .then((r) => {
        setAccounts(r.data);
        if (!account && r.data[0]) setAccount(r.data[0]);
      })
      .catch(() => undefined);
  }, [session]);
  useEffect(() => {
    sessionStorage.setItem('omc-console-account', account);
  }, [account]);

  if (!checked) return <p class="loading">{t('loading')}</p>;
  if (!session) return <SignInPage t={t} lang={lang} setLang={setLang} onSignedIn={setSession} />;

  const page = route[0] ?? 'channels';
  const key = `${session.kind}:${account}`;
  const nav: [string, string][] = [
    ['overview', t('overview')],
    ['channels', t('channels')],
    ['deliveries', t('deliveries')],
    ['outbound', t('outbound')],
    ...(session.sandbox ? ([['phone', t('phone')]] as [string, string][]) : []),
  ];
  const signOut = async () => {
    await del('/console/api/session').catch(() => undefined);
    setSession(undefined);
    location.hash = '';
  };
  const ready = session.kind === 'account' || !!account;

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('skip')}
      </a>
      <header class="top">
        <strong class="brand">{t('title')}</strong>
        <nav aria-label={t('title')}>
          <ul>
            {nav.map(([id, label]) => (
              <li key={id}>
                <a href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="tools">
          {session.kind === 'admin' ? (
            <label>
              {t('account')}{' '}
              <select id="account" value={account} onChange={(e) => setAccount((e.target as HTMLSelectElement).value)}>
                {accounts.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span class="who">{session.clientIdentifier}</span>
          )}
          <label>
            {t('language')}{' '}
            <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
              <option value="pt">Português</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" id="sign-out" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} key={key}>
        {!ready ? (
          <p>{t('noData')}</p>
        ) : page === 'channels' && route[1] ? (
          <ChannelPage t={t} lang={lang} id={route[1]} sandbox={session.sandbox} />
        ) : page === 'channels' ? (
          <ChannelsPage t={t} lang={lang} />
        ) : page === 'deliveries' ? (
          <DeliveriesPage t={t} lang={lang} />
        ) : page === 'outbound' ? (
          <OutboundPage t={t} lang={lang} />
        ) : page === 'overview' ? (
          <OverviewPage t={t} />
        ) : page === 'phone' && session.sandbox ? (
          <PhonePage t={t} id={route[1]} />
        ) : (
          <ChannelsPage t={t} lang={lang} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
