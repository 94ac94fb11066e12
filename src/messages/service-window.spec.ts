import { AppError } from '../common/errors/app-error';
import type { MessagesRepository } from './messages.repository';
import type { SendTarget } from './send-target.resolver';
import { SERVICE_WINDOW_MS, ServiceWindow } from './service-window';

const target = { clientIdentifier: 'acc', channel: { id: 'ch' }, chatId: '5521999990000@c.us' } as unknown as SendTarget;
const NOW = Date.parse('2026-12-05T12:00:00Z');

function windowWith(last: Date | undefined): { window: ServiceWindow; asked: unknown[][] } {
  const asked: unknown[][] = [];
  const repository = { lastInboundAt: async (...args: unknown[]) => (asked.push(args), last) } as unknown as MessagesRepository;
  return { window: new ServiceWindow(repository), asked };
}

describe('ServiceWindow', () => {
  it('is open within 24 h of the contact’s last message in that chat', async () => {
    const { window, asked } = windowWith(new Date(NOW - SERVICE_WINDOW_MS + 1000));
    await expect(window.assertOpen(target, NOW)).resolves.toBeUndefined();
    expect(asked).toEqual([['acc', 'ch', '5521999990000@c.us']]);
  });

  it('is closed 24 h after, with the time of the last message', async () => {
    const last = new Date(NOW - SERVICE_WINDOW_MS - 1);
    const err = await windowWith(last).window.assertOpen(target, NOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: 'OUTSIDE_SERVICE_WINDOW', details: { lastInboundAt: last.toISOString(), windowHours: 24 } });
  });

  it('is closed for a contact who never wrote', async () => {
    await expect(windowWith(undefined).window.assertOpen(target, NOW)).rejects.toMatchObject({ code: 'OUTSIDE_SERVICE_WINDOW', details: { lastInboundAt: null } });
  });
});
