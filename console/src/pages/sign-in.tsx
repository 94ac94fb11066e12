import { useState } from 'preact/hooks';
import { ApiError, Session, signIn } from '../api';
import type { Lang, T } from '../i18n';

export function SignInPage({ t, lang, setLang, onSignedIn }: { t: T; lang: Lang; setLang: (l: Lang) => void; onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const session = await signIn(key.trim());
      setKey('');
      onSignedIn(session);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>{t('title')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="key">{t('keyLabel')}</label>
        <input id="key" type="password" autoComplete="off" required value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} aria-describedby="key-help" />
        <p id="key-help" class="help">
          {t('keyHelp')}
        </p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
      <label>
        {t('language')}{' '}
        <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)}>
          <option value="pt">Português</option>
          <option value="en">English</option>
        </select>
      </label>
    </main>
  );
}
