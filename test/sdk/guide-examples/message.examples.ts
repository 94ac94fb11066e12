// Guide sections 4, 5 and 6, copied as written (the sections whose code the guide gives). Ids the
// guide shows as examples are replaced by the ids of the objects the test created, and the media
// URL by one the test serves (the sandbox is offline); the guide's literal is kept in a comment.
// `return` added to hand each result to the test.
import { Injectable } from '@nestjs/common';
import { MessageApi, StartConversationDto, MessageServiceEnum, SendMessageDto, SendPlatformMessagePayload, DeleteMessageDto } from '@cirrus/omnichannel_api'

@Injectable()
export class MessageExamples {
  constructor(private readonly messageApi: MessageApi) {}

  // 4.1 Iniciar Conversa
  async startConversation(ids: { platformConfigId: string; channelId: string }) {
    /**
    * @param {string} platformConfigId - Identificador da configuração da plataforma.
    * @param {string} channelId - Identificador do canal.
    * @param {string} clientProviderId - Identificador do cliente no provedor.
    * @param {string} userName - Nome do usuário.
    * @param {string} companyName - Nome da empresa (obrigatório para WhatsApp Web).
    * @param {string} platform - Plataforma específica.
    * @param {boolean} sessionWithPriority - Se a sessão deve ter prioridade.
    */
    const payload: StartConversationDto = {
    platformConfigId: ids.platformConfigId, // guide: '64ef5c84f9deb1326965919f'
    channelId: ids.channelId, // guide: '64ef5c84f9deb1326965919e'
    clientProviderId: '5521999999999',
    userName: 'João Silva',
    companyName: 'Minha Empresa Ltda',
    platform: 'karoochat',
    sessionWithPriority: false
    }
    const response = await this.messageApi.startConversation(payload, MessageServiceEnum.whatsappweb)
    return response
  }

  // 5.1 Enviar Mensagem de Texto
  async sendText(sessionId: string) {
    /**
    * @param {string} agentName - Nome do agente.
    * @param {string} sessionId - Identificador da sessão.
    * @param {string} text - Texto da mensagem.
    */
    const payload: SendMessageDto = {
    agentName: 'Atendente João',
    sessionId: sessionId, // guide: '64ef5c85f9deb132696591a0'
    text: 'Olá! Como posso ajudá-lo hoje?'
    }
    const response = await this.messageApi.sendMessage(payload)
    return response
  }

  // 5.2 Enviar Mensagem de Mídia (the two examples of 5.7 are this same code)
  async sendMedia(sessionId: string, mediaUri: string) {
    /**
    * @param {string} agentName - Nome do agente que está enviando a mensagem.
    * @param {string} sessionId - Identificador da sessão.
    * @param {string} mediaUri - URL da mídia a ser enviada.
    */
    const payload: SendMessageDto = {
    agentName: 'Atendente Maria',
    sessionId: sessionId, // guide: '64ef5c85f9deb132696591a0'
    mediaUri: mediaUri // guide: 'https://exemplo.com/documento.pdf'
    }
    const response = await this.messageApi.sendMessage(payload)
    return response
  }

  // 6.1 Enviar Mensagem de Texto para Grupo
  async sendGroupText(ids: { channelId: string; groupId: string }) {
    /**
    * @param {string} channelId - Identificador do canal.
    * @param {string} recipientNumber - Identificador do grupo.
    * @param {string} platform - Plataforma utilizada.
    * @param {string} text - Texto da mensagem (opcional).
    * @param {string} mediaUri - URL da mídia (opcional).
    */
    const payload: SendPlatformMessagePayload = {
    channelId: ids.channelId, // guide: '64ef5c84f9deb1326965919e'
    recipientNumber: ids.groupId, // guide: 'grupo123'
    platform: 'karoochat',
    text: 'Mensagem para o grupo'
    }
    const response = await this.messageApi.sendGroupMessage(payload)
    return response
  }

  // 6.12 Deletar Mensagem de Grupo
  async deleteGroupMessage(ids: { messageId: string; senderId: string }) {
    /**
    * @param {string} messageId - Identificador da mensagem a ser deletada.
    * @param {string} senderId - Identificador do remetente.
    * @param {string} channelSlug - Slug do canal.
    */
    const payload: DeleteMessageDto = {
    messageId: ids.messageId, // guide: 'msg_123456789'
    senderId: ids.senderId, // guide: 'sender_123'
    channelSlug: 'karoochat'
    }
    return await this.messageApi.deleteMessage(payload)
  }
}
