// Guide section 1.2, copied as written; runs in the browser (served by the test through esbuild and
// an import map that points '@cirrus/omnichannel_api' at the SDK's browser build). The example ids
// are replaced by the ids of the channel the test set up (the guide's literal is kept in a comment).
import { WhatsappWebUtils, OnboardingProps } from '@cirrus/omnichannel_api'

export async function runOnboardingExample(ids: { platformConfigId: string; channelId: string }) {
  /**
  * @param {string} providerId - Identificador do provedor.
  * @param {function} onConnect - Callback executado quando conecta.
  * @param {function} onError - Callback executado em caso de erro.
  * @param {string} platformConfigId - ID da configuração da plataforma (opcional).
  * @param {string} channelId - ID do canal (opcional).
  */
  const onboardingProps: OnboardingProps = {
  providerId: '5521999999999',
  onConnect: () => {
  console.log('WhatsApp Web conectado com sucesso!')
  },
  onError: (error) => {
  console.error('Erro na conexão:', error)
  },
  platformConfigId: ids.platformConfigId, // guide: '64ef5c84f9deb1326965919f'
  channelId: ids.channelId // guide: '64ef5c84f9deb1326965919e'
  }
  // eslint-disable-next-line @typescript-eslint/await-thenable -- the guide awaits getInstance(); it works awaited or not
  const whatsappUtils = await WhatsappWebUtils.getInstance()
  await whatsappUtils.onboarding(onboardingProps)
}
