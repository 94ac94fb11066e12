import type { ExampleObject } from '@nestjs/swagger';

/**
 * Request examples of the send routes, one per alternative, so Swagger UI and generators show bodies
 * the server accepts (a body built from every property's example mixes text and media, or a
 * conversation and a group, and is refused). test/contract/request-examples.e2e-spec.ts sends each.
 */
const CONVERSATION = { sessionId: '64ef5c85f9deb132696591a0', agentName: 'Atendente João' };
const GROUP = { channelId: '64ef5c84f9deb1326965919e', recipientNumber: '120363012345678901@g.us', platform: 'karoochat', agentName: 'Atendente Maria' };
const MESSAGE_ID = '64ef5c85f9deb132696591b2';
/** A message of the group (reactions name a message of the chat they go to). */
const GROUP_MESSAGE_ID = '64ef5c85f9deb132696591b3';

type Examples = Record<string, ExampleObject>;
const ex = (summary: string, value: Record<string, unknown>): ExampleObject => ({ summary, value });

export const SEND_EXAMPLES: Examples = {
  text: ex('Text (5.1)', { ...CONVERSATION, text: 'Olá! Como posso ajudá-lo hoje?' }),
  media: ex('Media with a caption (5.2, 5.3): its kind comes from the bytes', {
    ...CONVERSATION,
    mediaUri: 'https://exemplo.com/contrato.pdf',
    caption: 'Segue o contrato',
    fileName: 'contrato.pdf',
  }),
  reply: ex('A text reply to a message of the chat', { ...CONVERSATION, text: 'Claro, já verifico.', quotedMessageId: MESSAGE_ID }),
  withoutAgentName: ex('Text without the agent name prefix', { ...CONVERSATION, text: 'Seu pedido saiu para entrega.', showAgentName: false }),
};

export const GROUP_EXAMPLES: Examples = {
  text: ex('Text to a group (6.1)', { ...GROUP, text: 'Bom dia a todos!' }),
  media: ex('Media with a caption to a group (6.2, 6.3)', { ...GROUP, mediaUri: 'https://exemplo.com/cardapio.png', caption: 'Cardápio de hoje' }),
};

/** Both target forms of the kind routes: a conversation (5.x) or a group (6.x). */
function targets(kind: string, fields: Record<string, unknown>): Examples {
  return {
    conversation: ex(`${kind} in a conversation`, { ...CONVERSATION, ...fields }),
    group: ex(`${kind} to a group`, { ...GROUP, ...fields }),
  };
}

export const STICKER_EXAMPLES = targets('Sticker', { mediaUri: 'https://exemplo.com/sticker.webp' });
export const CONTACTS_EXAMPLES = targets('Contact card', {
  contacts: [{ name: 'Maria Souza', phone: '5521999998888', organization: 'ACME Ltda', email: 'maria@acme.com' }],
});
export const LOCATION_EXAMPLES = targets('Location', { latitude: -22.9519, longitude: -43.2105, name: 'Cristo Redentor' });
export const ADDRESS_EXAMPLES = targets('Address', {
  latitude: -22.9519,
  longitude: -43.2105,
  name: 'Loja Centro',
  address: 'Rua da Assembleia, 10 - Centro, Rio de Janeiro - RJ',
});
export const FORWARD_EXAMPLES = targets('Forward', { messageId: MESSAGE_ID });
export const REACTION_EXAMPLES: Examples = {
  react: ex('React with one emoji (5.6)', { sessionId: CONVERSATION.sessionId, messageId: MESSAGE_ID, emoji: '👍' }),
  remove: ex('Remove the reaction', { sessionId: CONVERSATION.sessionId, messageId: MESSAGE_ID, emoji: '' }),
  group: ex('React in a group (6.6)', { channelId: GROUP.channelId, recipientNumber: GROUP.recipientNumber, platform: GROUP.platform, messageId: GROUP_MESSAGE_ID, emoji: '❤️' }),
};
export const DELETE_EXAMPLES: Examples = {
  ours: ex('Delete one of our messages for everyone (5.12)', { messageId: MESSAGE_ID, senderId: '5521999999999', channelSlug: 'karoochat' }),
};
export const INTERACTIVE_EXAMPLES: Examples = {
  buttons: ex('Reply buttons (official API only: 422 on WhatsApp Web)', {
    ...CONVERSATION,
    type: 'button',
    body: 'Escolha uma opção',
    buttons: [
      { id: 'yes', title: 'Sim' },
      { id: 'no', title: 'Não' },
    ],
  }),
};
export const TEMPLATE_EXAMPLES: Examples = {
  approved: ex('An approved template with one body parameter (official API only: 422 on WhatsApp Web)', {
    ...CONVERSATION,
    name: 'pedido_confirmado',
    language: 'pt_BR',
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
  }),
};
export const LOCATION_REQUEST_EXAMPLES: Examples = {
  conversation: ex('Ask for the location (official API only: 422 on WhatsApp Web)', { ...CONVERSATION, text: 'Pode compartilhar sua localização?' }),
};
