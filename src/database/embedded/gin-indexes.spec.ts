import mongoose, { Schema } from 'mongoose';
import { ginFieldsByCollection, ginIndexName } from './gin-indexes';

describe('GIN indexes from the Mongoose index declarations', () => {
  const connection = mongoose.createConnection();
  afterAll(() => connection.close());

  it('gives _id and every top-level field of every declared index (compound ones too) a GIN index', () => {
    const contact = new Schema({ clientIdentifier: String, channelId: String, contactIdentifier: { type: String, index: true }, tagIds: [String] });
    contact.index({ clientIdentifier: 1, channelId: 1, contactIdentifier: 1 }, { unique: true });
    contact.index({ clientIdentifier: 1, tagIds: 1, _id: 1 });
    const channel = new Schema({ service: String, provider: { clientNumber: String }, name: String });
    channel.index({ service: 1, 'provider.clientNumber': 1 });
    channel.index({ name: 'text' });
    connection.model('Contact', contact, 'contacts');
    connection.model('Channel', channel, 'channels');

    expect(Object.fromEntries(ginFieldsByCollection(connection))).toEqual({
      contacts: ['_id', 'channelId', 'clientIdentifier', 'contactIdentifier', 'tagIds'],
      // Dotted paths and text indexes are not equality filters FerretDB sends to PostgreSQL.
      channels: ['_id', 'service'],
    });
  });

  it('keeps index names within PostgreSQL 63 bytes, distinct per field', () => {
    expect(ginIndexName('contacts_cedcb8f0', 'clientIdentifier')).toBe('contacts_cedcb8f0_gin_clientIdentifier');
    const a = ginIndexName('webhook_chat_sequences_d71224a4', 'aVeryLongFieldNameThatGoesOnAndOnX');
    const b = ginIndexName('webhook_chat_sequences_d71224a4', 'aVeryLongFieldNameThatGoesOnAndOnY');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
});
