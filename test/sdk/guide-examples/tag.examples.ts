// Guide section 3, copied as written. Ids the guide shows as examples ('68e5…') are replaced by the
// ids of the objects the test created (the guide's literal is kept in a comment); `return` added.
import { Injectable } from '@nestjs/common';
import { TagApi, CreateTagDto, GetTagsDto, GetTagByIdDto, UpdateTagDto, DeleteTagDto, GetContactsByTagIdDto } from '@cirrus/omnichannel_api'

@Injectable()
export class TagExamples {
  constructor(private readonly tagApi: TagApi) {}

  // 3.1 Criação de Tags
  async create() {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} name - Nome da tag.
    * @param {string} color - Cor da tag em formato hexadecimal.
    */
    const payload: CreateTagDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    name: 'Cliente VIP',
    color: '#ff0000'
    }
    const tag = await this.tagApi.create(payload)
    return tag
  }

  // 3.2 Listar Tags
  async list() {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} name - Filtro por nome da tag (opcional).
    */
    const payload: GetTagsDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    name: 'VIP'
    }
    const tags = await this.tagApi.get(payload)
    return tags
  }

  // 3.3 Buscar Tag por ID
  async getById(tagId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} tagId - Identificador único da tag.
    */
    const payload: GetTagByIdDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    tagId: tagId // guide: '68e54649a3744412be5cc107'
    }
    const tag = await this.tagApi.getById(payload)
    return tag
  }

  // 3.4 Atualizar Tag
  async update(tagId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} tagId - Identificador único da tag.
    * @param {string} name - Novo nome da tag (opcional).
    * @param {string} color - Nova cor da tag em formato hexadecimal (opcional).
    */
    const payload: UpdateTagDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    tagId: tagId, // guide: '68e54649a3744412be5cc107'
    name: 'Cliente Premium',
    color: '#00ff00'
    }
    const updatedTag = await this.tagApi.update(payload)
    return updatedTag
  }

  // 3.5 Deletar Tag
  async delete(tagId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} tagId - Identificador único da tag a ser removida.
    */
    const payload: DeleteTagDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    tagId: tagId // guide: '68e54649a3744412be5cc107'
    }
    return await this.tagApi.delete(payload)
  }

  // 3.6 Listar Contatos por Tag
  async contactsByTag(tagId: string) {
    /**
    * @param {string} clientIdentifier - Identificador único da conta.
    * @param {string} tagId - Identificador único da tag.
    */
    const payload: GetContactsByTagIdDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    tagId: tagId // guide: '68e54649a3744412be5cc107'
    }
    const contacts = await this.tagApi.getContactsByTagId(payload)
    return contacts
  }
}
