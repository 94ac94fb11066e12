import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { LineChart } from '../components/chart';
import type { T } from '../i18n';

interface Overview {
  series: { t: number; sends: number; inbound: number; successRate?: number; p50?: number; p99?: number }[];
  webhooks: { attempts: number; successRate?: number; p50?: number; p99?: number };
  sessionsByState: Record<string, number>;
  queueDepth: number;
}

const pct = (v?: number) => (v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);

export function OverviewPage({ t }: { t: T }) {
  const [window, setWindow] = useState('1h');
  const [data, setData] = useState<Overview | undefined>();
  useEffect(() => void get<Overview>(`/console/api/overview?window=${window}`).then(setData), [window]);
  const times = data?.series.map((s) => s.t) ?? [];
  return (
    <section aria-labelledby="h-overview">
      <h1 id="h-overview">{t('overview')}</h1>
      <label>
        {t('window')}{' '}
        <select value={window} onChange={(e) => setWindow((e.target as HTMLSelectElement).value)}>
          <option value="1h">1h</option>
          <option value="24h">24h</option>
          <option value="7d">7d</option>
        </select>
      </label>
      {!data ? (
        <p>{t('loading')}</p>
      ) : (
        <>
          <dl class="stats">
            {Object.entries(data.sessionsByState).map(([state, n]) => (
              <div key={state}>
                <dt>{state}</dt>
                <dd>{n}</dd>
              </div>
            ))}
            <div>
              <dt>{t('queue')}</dt>
              <dd>{data.queueDepth}</dd>
            </div>
            <div>
              <dt>{t('webhookSuccess')}</dt>
              <dd>{pct(data.webhooks.successRate)}</dd>
            </div>
          </dl>
          <div class="cards">
            <LineChart title={t('sendsPerMin')} times={times} series={[{ label: t('send'), values: data.series.map((s) => s.sends), className: 's1' }]} />
            <LineChart title={t('inboundPerMin')} times={times} series={[{ label: t('inbound'), values: data.series.map((s) => s.inbound), className: 's2' }]} />
            <LineChart title={t('webhookSuccess')} times={times} format={pct} series={[{ label: '%', values: data.series.map((s) => s.successRate), className: 's3' }]} />
            <LineChart
              title={t('webhookLatency')}
              times={times}
              series={[
                { label: 'p50', values: data.series.map((s) => s.p50), className: 's1' },
                { label: 'p99', values: data.series.map((s) => s.p99), className: 's2' },
              ]}
            />
          </div>
        </>
      )}
    </section>
  );
}
