// Guide section 1.1, copied as written. Only `return` was added to hand the result to the test.
import { Injectable } from '@nestjs/common';
import { SetupApi, SetupWhatsappWebDto, MessageServiceEnum } from '@cirrus/omnichannel_api'

@Injectable()
export class SetupExamples {
  constructor(private readonly setupApi: SetupApi) {}

  async setupWhatsappWeb() {
    /**
    * @param {string} clientIdentifier - Identificador único do cliente.
    * @param {object} provider - Configurações do provedor WhatsApp Web.
    * @param {string} provider.clientNumber - Número do cliente (obrigatório).
    * @param {string} provider.companyId - ID da empresa (obrigatório).
    * @param {string} startingPlatform - Plataforma inicial.
    * @param {array} platforms - Configurações das plataformas.
    * @param {string} description - Descrição do canal (opcional).
    */
    const setupDto: SetupWhatsappWebDto = {
    clientIdentifier: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
    provider: {
    clientNumber: '5521999999999',
    companyId: 'my_company_id'
    },
    startingPlatform: 'karoochat',
    platforms: [
    {
    callbackUrl: 'https://myapp.com/webhook',
    slug: 'karoochat'
    }
    ],
    description: 'Canal WhatsApp Web para atendimento'
    }
    const platformConfig = await this.setupApi.setup(setupDto, MessageServiceEnum.whatsappweb)
    return platformConfig
  }
}
