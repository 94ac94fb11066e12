/**
 * The onboarding popup: one self-contained HTML page (inline CSS and JS under a CSP nonce, no
 * external resources). It follows the session over SSE, redraws the QR when WhatsApp rotates
 * it, offers linking by phone number (pairing code), and tells its opener what happens through
 * `window.postMessage` (see ONBOARDING_MESSAGE_SOURCE and docs/whatsapp-sessions.md).
 */

export const ONBOARDING_MESSAGE_SOURCE = 'omnichannel-onboarding';

export type OnboardingLang = 'en' | 'pt';

const TEXT = {
  en: {
    title: 'Connect WhatsApp',
    STOPPED: 'Not running.',
    STARTING: 'Starting WhatsApp Web…',
    QR: 'Scan the QR code with WhatsApp on your phone',
    AUTHENTICATED: 'Linked. Loading your chats…',
    READY: 'Connected',
    DISCONNECTED: 'Connection lost. Reconnecting…',
    FAILED: 'WhatsApp Web failed to start. Retrying…',
    LOGGED_OUT: 'This device was logged out of WhatsApp.',
    gaveUp: 'WhatsApp Web could not be started.',
    qrTimeout: 'The QR code expired before it was scanned.',
    instructions: 'On your phone open WhatsApp › Settings › Linked devices › Link a device, and point the camera at this code.',
    usePhone: 'Link with phone number instead',
    useQr: 'Show the QR code instead',
    phoneLabel: 'Your WhatsApp number, with country code',
    getCode: 'Get code',
    codeHelp: 'On your phone open WhatsApp › Linked devices › Link a device › Link with phone number instead, and enter:',
    retry: 'Try again',
    close: 'Close window',
    connectedAs: 'Connected as',
    canClose: 'You can close this window.',
    expired: 'This link has expired. Ask for a new one.',
    invalid: 'This link is not valid.',
    busy: 'Please wait…',
  },
  pt: {
    title: 'Conectar WhatsApp',
    STOPPED: 'Parado.',
    STARTING: 'Iniciando o WhatsApp Web…',
    QR: 'Escaneie o QR code com o WhatsApp do seu celular',
    AUTHENTICATED: 'Vinculado. Carregando suas conversas…',
    READY: 'Conectado',
    DISCONNECTED: 'Conexão perdida. Reconectando…',
    FAILED: 'O WhatsApp Web não iniciou. Tentando novamente…',
    LOGGED_OUT: 'Este dispositivo foi desconectado do WhatsApp.',
    gaveUp: 'Não foi possível iniciar o WhatsApp Web.',
    qrTimeout: 'O QR code expirou antes de ser escaneado.',
    instructions: 'No celular, abra o WhatsApp › Configurações › Dispositivos conectados › Conectar dispositivo e aponte a câmera para este código.',
    usePhone: 'Conectar com número de telefone',
    useQr: 'Mostrar o QR code',
    phoneLabel: 'Seu número do WhatsApp, com código do país',
    getCode: 'Gerar código',
    codeHelp: 'No celular, abra o WhatsApp › Dispositivos conectados › Conectar dispositivo › Conectar com número de telefone e digite:',
    retry: 'Tentar novamente',
    close: 'Fechar janela',
    connectedAs: 'Conectado como',
    canClose: 'Você já pode fechar esta janela.',
    expired: 'Este link expirou. Solicite um novo.',
    invalid: 'Este link não é válido.',
    busy: 'Aguarde…',
  },
} as const;

/** `pt` when asked for (`?lang=pt`) or when the browser prefers Portuguese; English otherwise. */
export function pickLang(query: unknown, acceptLanguage: string | undefined): OnboardingLang {
  if (query === 'pt' || query === 'pt-BR') return 'pt';
  if (query === 'en') return 'en';
  return /^\s*pt\b/i.test(acceptLanguage ?? '') ? 'pt' : 'en';
}

/** JSON safe to embed in a <script> element. */
function embed(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function onboardingCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f0f2f5;color:#111b21}
main{max-width:420px;margin:24px auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.12);text-align:center}
h1{font-size:20px;margin:0 0 4px}.sub{color:#667781;margin:0 0 16px;font-size:13px}
#status{font-weight:600;margin:8px 0 12px;min-height:1.4em}#status[data-kind=error]{color:#c62828}#status[data-kind=ok]{color:#008069}
#qrbox{width:264px;height:264px;margin:0 auto 12px;display:flex;align-items:center;justify-content:center;border:1px solid #e9edef;border-radius:8px}
#qr{width:256px;height:256px;image-rendering:pixelated}#qrbox[hidden],#qr[hidden]{display:none}
.spinner{width:36px;height:36px;border:4px solid #e9edef;border-top-color:#00a884;border-radius:50%;animation:s 1s linear infinite}@keyframes s{to{transform:rotate(360deg)}}
.help{color:#54656f;font-size:13px;margin:0 0 12px}button{font:inherit;border:0;border-radius:20px;padding:8px 18px;cursor:pointer;background:#00a884;color:#fff}
button.link{background:none;color:#008069;padding:4px}button[disabled]{opacity:.6;cursor:default}
input{font:inherit;width:100%;padding:8px 10px;border:1px solid #d1d7db;border-radius:6px;margin:6px 0 10px}
label{display:block;text-align:left;font-size:13px;color:#54656f}#code{font:600 28px/1.2 ui-monospace,Menlo,monospace;letter-spacing:4px;margin:8px 0}
.check{font-size:56px;color:#00a884;line-height:1}[hidden]{display:none!important}#err{color:#c62828;font-size:13px;min-height:1em}
`;

export interface OnboardingPageInput {
  nonce: string;
  lang: OnboardingLang;
  /** Base path of the page's own endpoints: `/onboarding/<token>`. */
  base: string;
  channelId: string;
  clientNumber?: string;
  /** postMessage target origin ('*' when the link did not name one). */
  targetOrigin: string;
}

export function renderOnboardingPage(input: OnboardingPageInput): string {
  const t = TEXT[input.lang];
  const cfg = { base: input.base, channelId: input.channelId, origin: input.targetOrigin, source: ONBOARDING_MESSAGE_SOURCE, t };
  return `<!doctype html>
<html lang="${input.lang === 'pt' ? 'pt-BR' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(t.title)}</title>
<link rel="icon" href="data:,">
<style nonce="${input.nonce}">${STYLE}</style>
</head>
<body>
<main>
  <h1>${escapeHtml(t.title)}</h1>
  <p class="sub">${input.clientNumber ? `+${escapeHtml(input.clientNumber)}` : ''}</p>
  <div id="status" role="status" aria-live="polite">${escapeHtml(t.STARTING)}</div>
  <section id="link">
    <div id="qrbox"><div class="spinner" id="spin"></div><img id="qr" alt="QR code" hidden></div>
    <p class="help" id="qrhelp" hidden>${escapeHtml(t.instructions)}</p>
    <button class="link" id="toPhone" type="button">${escapeHtml(t.usePhone)}</button>
  </section>
  <section id="phone" hidden>
    <label for="number">${escapeHtml(t.phoneLabel)}</label>
    <input id="number" inputmode="tel" autocomplete="tel" placeholder="5521999999999" value="${escapeHtml(input.clientNumber ?? '')}">
    <button id="getCode" type="button">${escapeHtml(t.getCode)}</button>
    <div id="codebox" hidden><p class="help">${escapeHtml(t.codeHelp)}</p><div id="code"></div></div>
    <p id="err"></p>
    <button class="link" id="toQr" type="button">${escapeHtml(t.useQr)}</button>
  </section>
  <section id="done" hidden>
    <div class="check">&#10003;</div>
    <p id="who"></p>
    <p class="help">${escapeHtml(t.canClose)}</p>
    <button id="close" type="button">${escapeHtml(t.close)}</button>
  </section>
  <section id="again" hidden><button id="retry" type="button">${escapeHtml(t.retry)}</button></section>
</main>
<script type="application/json" id="cfg">${embed(cfg)}</script>
<script nonce="${input.nonce}">${PAGE_SCRIPT}</script>
</body>
</html>`;
}

/** A page for an invalid or expired link: tells the opener, then shows the reason. */
export function renderOnboardingError(input: { nonce: string; lang: OnboardingLang; code: string; expired: boolean }): string {
  const t = TEXT[input.lang];
  const message = input.expired ? t.expired : t.invalid;
  const payload = { source: ONBOARDING_MESSAGE_SOURCE, version: 1, type: 'error', error: { code: input.code, message } };
  return `<!doctype html>
<html lang="${input.lang === 'pt' ? 'pt-BR' : 'en'}"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(t.title)}</title><link rel="icon" href="data:,"><style nonce="${input.nonce}">${STYLE}</style></head>
<body><main><h1>${escapeHtml(t.title)}</h1><div id="status" data-kind="error">${escapeHtml(message)}</div></main>
<script nonce="${input.nonce}">try{if(window.opener)window.opener.postMessage(${embed(payload)},'*')}catch(e){}</script>
</body></html>`;
}

// The page's script: plain ES2017, no dependencies. Kept as a string so it ships as is.
const PAGE_SCRIPT = `
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('cfg').textContent);
  var t = cfg.t;
  var $ = function (id) { return document.getElementById(id); };
  var lastState = null, lastQr = null, connectedSent = false, finished = false, es = null, mode = 'qr';

  function post(msg) {
    if (!window.opener || window.opener.closed) return;
    msg.source = cfg.source; msg.version = 1; msg.channelId = cfg.channelId;
    try { window.opener.postMessage(msg, cfg.origin); } catch (e) { /* opener on another origin than allowed */ }
  }
  function say(text, kind) { var s = $('status'); s.textContent = text; s.setAttribute('data-kind', kind || ''); }
  function show(id, on) { $(id).hidden = !on; }

  function failure(s) {
    if (s.state === 'STOPPED' && s.reason === 'QR_TIMEOUT') return { code: 'QR_TIMEOUT', message: t.qrTimeout };
    if (s.state === 'FAILED' && !s.retryAt) return { code: 'SESSION_FAILED', message: t.gaveUp };
    if (s.state === 'LOGGED_OUT') return { code: 'LOGGED_OUT', message: t.LOGGED_OUT };
    if (s.state === 'STOPPED') return { code: 'SESSION_STOPPED', message: t.STOPPED };
    return null;
  }

  function render(s) {
    var changed = s.state !== lastState;
    lastState = s.state;
    if (changed) post({ type: 'status', state: s.state, reason: s.reason || null });
    if (s.state === 'READY') {
      show('link', false); show('phone', false); show('again', false); show('done', true);
      say(t.READY, 'ok');
      $('who').textContent = s.me ? t.connectedAs + ' +' + String(s.me).split('@')[0] : '';
      if (!connectedSent) { connectedSent = true; post({ type: 'connected', state: 'READY', me: s.me || null }); }
      return;
    }
    show('done', false);
    var err = failure(s);
    if (err) {
      show('link', false); show('phone', false); show('again', true);
      say(err.message, 'error');
      if (changed) post({ type: 'error', state: s.state, reason: s.reason || null, error: err });
      return;
    }
    show('again', false);
    show(mode === 'qr' ? 'link' : 'phone', true);
    say(mode === 'phone' && s.state === 'QR' ? t.usePhone : t[s.state] || s.state, '');
    var hasQr = s.state === 'QR' && s.qrRevision;
    show('qrhelp', !!hasQr);
    if (hasQr && s.qrRevision !== lastQr) {
      lastQr = s.qrRevision;
      var img = $('qr');
      img.onload = function () { show('spin', false); img.hidden = false; };
      img.src = cfg.base + '/qr.png?r=' + encodeURIComponent(s.qrRevision);
    } else if (!hasQr) {
      lastQr = null; $('qr').hidden = true; show('spin', true);
    }
    if (s.pairingCode) showCode(s.pairingCode);
  }

  function showCode(code) {
    $('code').textContent = code.length === 8 ? code.slice(0, 4) + '-' + code.slice(4) : code;
    show('codebox', true);
  }

  function linkGone(res) {
    finished = true;
    if (es) es.close();
    show('link', false); show('phone', false); show('again', false);
    var expired = res.status === 410;
    var msg = expired ? t.expired : t.invalid;
    say(msg, 'error');
    post({ type: 'error', state: lastState, error: { code: expired ? 'ONBOARDING_LINK_EXPIRED' : 'ONBOARDING_LINK_INVALID', message: msg } });
  }

  function connect() {
    if (finished) return;
    es = new EventSource(cfg.base + '/events');
    es.addEventListener('status', function (e) { render(JSON.parse(e.data)); });
    es.onerror = function () {
      // EventSource retries on its own; find out whether the link itself is gone.
      fetch(cfg.base + '/status', { cache: 'no-store' }).then(function (res) {
        if (res.status === 401 || res.status === 410) linkGone(res);
      }).catch(function () {});
    };
  }

  function call(path, body) {
    return fetch(cfg.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (res) { return res.json().then(function (json) { if (!res.ok) { var e = new Error(json.message || res.statusText); e.res = res; throw e; } return json; }); });
  }

  $('toPhone').onclick = function () { mode = 'phone'; show('link', false); show('phone', true); if (lastState === 'QR') say(t.usePhone, ''); $('number').focus(); };
  $('toQr').onclick = function () { mode = 'qr'; show('phone', false); show('link', true); if (lastState === 'QR') say(t.QR, ''); };
  $('getCode').onclick = function () {
    var btn = $('getCode'); btn.disabled = true; $('err').textContent = ''; btn.textContent = t.busy;
    call('/pairing-code', { phoneNumber: $('number').value }).then(function (r) { showCode(r.code); })
      .catch(function (e) { $('err').textContent = e.message; if (e.res && (e.res.status === 401 || e.res.status === 410)) linkGone(e.res); })
      .then(function () { btn.disabled = false; btn.textContent = t.getCode; });
  };
  $('retry').onclick = function () {
    var btn = $('retry'); btn.disabled = true;
    lastState = null; lastQr = null;
    call('/start').catch(function (e) { say(e.message, 'error'); if (e.res && (e.res.status === 401 || e.res.status === 410)) linkGone(e.res); })
      .then(function () { btn.disabled = false; });
  };
  $('close').onclick = function () { window.close(); };
  connect();
})();
`;
