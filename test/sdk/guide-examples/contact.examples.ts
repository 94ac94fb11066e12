// Guide section 2, copied as written. Ids the guide shows as examples are replaced by the ids of
// the objects the test created (the guide's literal is kept in a comment); `return` added.
import { Injectable } from '@nestjs/common';
import {
  ContactApi,
  CreateContactDto,
  UpdateContactDto,
  GetContactDto,
  GetContactsDto,
  DeleteContactPlatformDto,
  GetTagsByContactIdDto,
  AddContactTagDto,
  RemoveContactTagDto,
} from '@cirrus/omnichannel_api'

@Injectable()
export class ContactExamples {
  constructor(private readonly contactApi: ContactApi) {}

  // 2.1 Criação de Contatos
  async create(channelId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} channelId - Identificador do canal.
    * @param {string} contactIdentifier - Contato do usuário (número de telefone, token (Telegram, etc).
    * @param {string} name - Ordem em que os itens serão buscados (crescente ou decrescente).
    * @param {string} type - Tipo do contato.
    * @param {string} channelType - Tipo do canal.
    * @param {string} customName - Nome customizado para o contato.
    * @param {string} photo - Url da foto de perfil do contato no S3 (opcional).
    * @param {string[]} tagIds - Caso queira vincular tags ao um contato (opcional).
    * @param {string} platform - Caso queira que o contato possua uma plataforma exclusiva (opcional).
    * @param {boolean} isIgnored - Se 'true' o OMC não interceptará mensagens desse contato (opcional).
    */
    const payload: CreateContactDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    channelId: channelId, // guide: '689a05215b711247e8f54022'
    contactIdentifier: '5521999999999',
    name: 'João Silva',
    type: 'individual',
    channelType: 'whatsapp',
    customName: 'João (Mercearia)',
    }
    return await this.contactApi.create(payload)
  }

  // 2.2 Edição de Contatos
  async update(contactId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} contactId - Identificador do contato.
    * @param {string} customName - Nome customizado para o contato (opcional).
    * @param {string} platform - Caso queira que o contato possua uma plataforma exclusiva (opcional).
    * @param {string[]} tagIds - Caso queira vincular tags ao um contato (opcional).
    * @param {string} contactIdentifier - Contato do usuário, número de telefone, token Telegram, etc... (opcional).
    * @param {boolean} isIgnored - Se 'true' o OMC não interceptará mensagens desse contato (opcional).
    */
    const payload: UpdateContactDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    contactId: contactId, // guide: '68e54649a3744412be5cc107'
    customName: 'Nome Modificado',
    platform: 'karoochatnew',
    }
    return await this.contactApi.update(payload)
  }

  // 2.3 Listar Contato por Id
  async getById(contactId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} contactId - Identificador único do contato.
    */
    const payload: GetContactDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    contactId: contactId, // guide: '68e54649a3744412be5cc107'
    }
    return await this.contactApi.getById(payload)
  }

  // 2.4 Listar Contatos com Paginação
  async list() {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {number} page - Número da página (padrão: 1).
    * @param {number} limit - Limite de itens por página (padrão: 30).
    * @param {string} order - Ordem de classificação ('asc' ou 'desc').
    * @param {string} type - Tipo do contato ('individual' ou 'group').
    * @param {string} channelType - Tipo do canal.
    * @param {string} name - Filtro por nome do contato.
    * @param {string} contactIdentifier - Filtro por identificador do contato.
    * @param {string[]} tagIds - Filtro por IDs de tags associadas.
    */
    const payload: GetContactsDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    page: 1,
    limit: 10,
    order: 'desc',
    type: 'individual',
    channelType: 'whatsapp',
    name: 'João'
    }
    const response = await this.contactApi.get(payload)
    return response
  }

  // 2.5 Remover Plataforma do Contato
  async deletePlatform(contactId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} contactId - Identificador único do contato.
    */
    const payload: DeleteContactPlatformDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    contactId: contactId // guide: '68e54649a3744412be5cc107'
    }
    return await this.contactApi.deletePlatform(payload)
  }

  // 2.6 Listar Tags do Contato
  async tags(contactId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} contactId - Identificador único do contato.
    */
    const payload: GetTagsByContactIdDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    contactId: contactId // guide: '68e54649a3744412be5cc107'
    }
    const tags = await this.contactApi.getTagsByContacId(payload)
    return tags
  }

  // 2.7 Adicionar Tags ao Contato
  async addTags(contactId: string, [tag1, tag2, tag3]: string[]) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} contactId - Identificador único do contato.
    * @param {string[]} tagIds - Array com os IDs das tags a serem adicionadas.
    */
    const payload: AddContactTagDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    contactId: contactId, // guide: '68e54649a3744412be5cc107'
    tagIds: [tag1, tag2, tag3] // guide: ['tag1', 'tag2', 'tag3']
    }
    const updatedContact = await this.contactApi.addTags(payload)
    return updatedContact
  }

  // 2.8 Remover Tags do Contato
  async removeTags(contactId: string, [tag1, tag2]: string[]) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} contactId - Identificador único do contato.
    * @param {string[]} tagIds - Array com os IDs das tags a serem removidas.
    */
    const payload: RemoveContactTagDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    contactId: contactId, // guide: '68e54649a3744412be5cc107'
    tagIds: [tag1, tag2] // guide: ['tag1', 'tag2']
    }
    const updatedContact = await this.contactApi.removeTags(payload)
    return updatedContact
  }
}
