import { InFlightSends } from './in-flight-sends';

describe('InFlightSends', () => {
  it('matches an echo by chat and text, caption or card, once it has no id yet', () => {
    const sends = new InFlightSends();
    sends.add('ch', { messageId: 'm1', chatId: 'a@c.us', kind: 'text', body: 'olá' });
    sends.add('ch', { messageId: 'm2', chatId: 'a@c.us', kind: 'image', caption: 'foto' });
    sends.add('ch', { messageId: 'm3', chatId: 'a@c.us', kind: 'contacts', vcards: ['card-1', 'card-2'] });
    sends.add('ch', { messageId: 'm4', chatId: 'b@c.us', kind: 'location' });
    expect(sends.match('ch', { chatId: 'a@c.us', kind: 'text', body: 'olá' })?.messageId).toBe('m1');
    expect(sends.match('ch', { chatId: 'b@c.us', kind: 'text', body: 'olá' })).toBeUndefined();
    expect(sends.match('ch', { chatId: 'a@c.us', kind: 'image', caption: 'foto' })?.messageId).toBe('m2');
    expect(sends.match('ch', { chatId: 'a@c.us', kind: 'contacts', vcards: ['card-2'] })?.messageId).toBe('m3');
    expect(sends.match('ch', { chatId: 'b@c.us', kind: 'location' })?.messageId).toBe('m4');
    expect(sends.match('other', { chatId: 'a@c.us', kind: 'text', body: 'olá' })).toBeUndefined();

    sends.setWaId('ch', 'm1', 'true_a@c.us_1');
    expect(sends.match('ch', { chatId: 'a@c.us', kind: 'text', body: 'olá' })).toBeUndefined();
    sends.setWaId('ch', 'm3', 'true_a@c.us_3');
    expect(sends.match('ch', { chatId: 'a@c.us', kind: 'contacts', vcards: ['card-2'] })?.messageId).toBe('m3');
  });

  it('forgets settled sends, keeps those expecting more echoes, and expires entries', () => {
    jest.useFakeTimers();
    try {
      const sends = new InFlightSends();
      sends.add('ch', { messageId: 'm1', chatId: 'a@c.us', kind: 'text', body: 'x' });
      sends.add('ch', { messageId: 'm2', chatId: 'a@c.us', kind: 'text', body: 'y' });
      sends.settle('ch', 'm1', false);
      sends.settle('ch', 'm2', true);
      expect(sends.match('ch', { chatId: 'a@c.us', kind: 'text', body: 'x' })).toBeUndefined();
      expect(sends.match('ch', { chatId: 'a@c.us', kind: 'text', body: 'y' })?.messageId).toBe('m2');
      jest.advanceTimersByTime(121_000);
      expect(sends.match('ch', { chatId: 'a@c.us', kind: 'text', body: 'y' })).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
