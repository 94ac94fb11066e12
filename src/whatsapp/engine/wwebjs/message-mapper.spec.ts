import { ackLevel, editEvent, groupEvent, reactionEvent, revokeEvent, toEngineMessage, WMessage } from './message-mapper';

const ME = '5521999990000@c.us';

function msg(over: Partial<Omit<WMessage, 'id'>> & { id?: Partial<WMessage['id']> }): WMessage {
  const { id, ...rest } = over;
  return {
    id: { _serialized: 'false_5521988887777@c.us_ABC', remote: '5521988887777@c.us', fromMe: false, id: 'ABC', ...id },
    type: 'chat',
    timestamp: 1_700_000_000,
    from: '5521988887777@c.us',
    to: ME,
    fromMe: false,
    body: 'oi',
    _data: {},
    ...rest,
  };
}

describe('whatsapp-web.js → engine events', () => {
  it('maps an inbound text with the chat from the id, sender and notify name', () => {
    expect(toEngineMessage(msg({ _data: { notifyName: 'João' } }), ME)).toEqual({
      id: 'false_5521988887777@c.us_ABC',
      chatId: '5521988887777@c.us',
      senderId: '5521988887777@c.us',
      senderName: 'João',
      isGroup: false,
      fromMe: false,
      timestamp: 1_700_000_000,
      kind: 'text',
      body: 'oi',
    });
  });

  it('maps own messages and group messages (wid objects normalised)', () => {
    const own = toEngineMessage(msg({ id: { _serialized: 'true_5521988887777@c.us_X', fromMe: true }, fromMe: true, from: { _serialized: ME }, to: '5521988887777@c.us' }), ME);
    expect(own).toMatchObject({ chatId: '5521988887777@c.us', senderId: ME, fromMe: true });
    const group = toEngineMessage(
      msg({ id: { _serialized: 'false_1203@g.us_Y_5521977776666@c.us', remote: { _serialized: '1203@g.us' } }, from: '1203@g.us', author: { _serialized: '5521977776666@c.us' }, mentionedIds: [{ _serialized: ME }] }),
      ME,
    );
    expect(group).toMatchObject({ chatId: '1203@g.us', senderId: '5521977776666@c.us', isGroup: true, mentions: [ME] });
  });

  it('maps media (caption, mimetype), locations, vCards and quotes', () => {
    expect(toEngineMessage(msg({ type: 'ptt', hasMedia: true, body: '', _data: { mimetype: 'audio/ogg', size: 10 } }))).toMatchObject({ kind: 'audio', media: { mimetype: 'audio/ogg', size: 10 } });
    const image = toEngineMessage(msg({ type: 'image', hasMedia: true, body: 'cap', _data: { caption: 'cap', mimetype: 'image/png', filename: 'a.png' } }));
    expect(image).toMatchObject({ kind: 'image', caption: 'cap', media: { mimetype: 'image/png', filename: 'a.png' } });
    expect(image.body).toBeUndefined();
    expect(toEngineMessage(msg({ type: 'location', location: { latitude: '-22.9', longitude: '-43.1' }, _data: { loc: 'Loja\nCentro' } }))).toMatchObject({
      kind: 'location',
      location: { latitude: -22.9, longitude: -43.1, name: 'Loja', address: 'Centro' },
    });
    expect(toEngineMessage(msg({ type: 'multi_vcard', vCards: ['A', 'B'] }))).toMatchObject({ kind: 'contacts', vcards: ['A', 'B'] });
    expect(toEngineMessage(msg({ hasQuotedMsg: true, _data: { quotedStanzaID: 'Q1', quotedParticipant: ME } }), ME).quotedMessageId).toBe('true_5521988887777@c.us_Q1');
    expect(toEngineMessage(msg({ hasQuotedMsg: true, _data: { quotedStanzaID: 'Q2', quotedParticipant: '5521988887777@c.us' } }), ME).quotedMessageId).toBe('false_5521988887777@c.us_Q2');
  });

  it('maps acks, revokes, edits, reactions and group changes', () => {
    expect([-1, 0, 1, 2, 3, 4].map(ackLevel)).toEqual(['failed', 'pending', 'sent', 'delivered', 'read', 'played']);
    expect(revokeEvent(msg({ type: 'revoked' }))).toEqual({ type: 'revoke', messageId: 'false_5521988887777@c.us_ABC', chatId: '5521988887777@c.us', fromMe: false, senderId: '5521988887777@c.us' });
    expect(editEvent(msg({}), 'new', 'old')).toMatchObject({ type: 'edit', body: 'new', previousBody: 'old', senderId: '5521988887777@c.us' });
    expect(
      reactionEvent({ msgId: { _serialized: 'true_5521988887777@c.us_Z', remote: '5521988887777@c.us', fromMe: true }, senderId: '5521988887777@c.us', reaction: '👍', timestamp: 1_700_000_000.123 }),
    ).toEqual({ type: 'reaction', messageId: 'true_5521988887777@c.us_Z', chatId: '5521988887777@c.us', senderId: '5521988887777@c.us', emoji: '👍', timestamp: 1_700_000_000 });
    expect(groupEvent('group_join', { chatId: '1203@g.us', author: { _serialized: 'a@c.us' }, type: 'add', recipientIds: [{ _serialized: 'b@c.us' }, 'c@c.us'] })).toEqual({
      type: 'group_join',
      groupId: '1203@g.us',
      participants: ['b@c.us', 'c@c.us'],
      by: 'a@c.us',
      subtype: 'add',
    });
  });
});
