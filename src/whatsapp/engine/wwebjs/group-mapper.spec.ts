import { toEngineGroups, WChat } from './group-mapper';

const ME = '5521999990000@c.us';
const group = (id: string, participants: NonNullable<WChat['groupMetadata']>['participants'], subject = 'Grupo'): WChat => ({
  id: { _serialized: id },
  isGroup: true,
  name: subject,
  groupMetadata: { subject, participants },
});

describe('whatsapp-web.js chats → engine groups', () => {
  it('keeps group chats only, with wid objects or strings as ids', () => {
    const chats: WChat[] = [
      { id: '5521988887777@c.us', isGroup: false, name: 'João' },
      group('120363011111111111@g.us', [{ id: { _serialized: ME }, isAdmin: true }, { id: '5521988887777@c.us' }]),
    ];
    expect(toEngineGroups(chats, [ME])).toEqual([
      {
        id: '120363011111111111@g.us',
        subject: 'Grupo',
        participants: [
          { id: ME, isAdmin: true, isSuperAdmin: false },
          { id: '5521988887777@c.us', isAdmin: false, isSuperAdmin: false },
        ],
        me: { id: ME, isAdmin: true, isSuperAdmin: false },
      },
    ]);
  });

  it('finds the linked account by a device id or its privacy id; a super admin is an admin', () => {
    const byDevice = group('120363022222222222@g.us', [{ id: '5521999990000:12@c.us', isSuperAdmin: true }]);
    const byLid = group('120363033333333333@g.us', [{ id: '123456789012345@lid', isAdmin: true }]);
    const [device, lid] = toEngineGroups([byDevice, byLid], [ME, '123456789012345@lid']);
    expect(device.me).toEqual({ id: '5521999990000:12@c.us', isAdmin: true, isSuperAdmin: true });
    expect(lid.me).toMatchObject({ isAdmin: true });
  });

  it('leaves `me` out when the account is no longer a participant, and skips chats without metadata', () => {
    const left = group('120363044444444444@g.us', [{ id: '5521988887777@c.us' }]);
    const bare: WChat = { id: '120363055555555555@g.us', isGroup: true };
    const result = toEngineGroups([left, bare], [ME]);
    expect(result).toHaveLength(1);
    expect(result[0].me).toBeUndefined();
  });
});
