import { ApiClient } from '../harness/http';

/** Sets up a channel for tests (one number per call) and returns the setup answer. */
let numberSeq = 0;
export async function createChannel(client: ApiClient, slugs: string[] = ['karoochat', 'karoochatnew']): Promise<{ id: string; platformConfigId: string }> {
  const res = await client.post('/channels/setup/whatsappweb', {
    provider: { clientNumber: `55219${String(70000000 + ++numberSeq + Math.floor(Math.random() * 1_000_000))}`, companyId: 'my_company_id' },
    startingPlatform: slugs[0],
    platforms: slugs.map((slug) => ({ slug, callbackUrl: `https://${slug}.example.com/webhook` })),
  });
  if (res.status !== 201) throw new Error(`channel setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createTag(client: ApiClient, name: string, color = '#ff0000'): Promise<{ id: string; name: string }> {
  const res = await client.post('/tags', { name, color });
  if (res.status !== 201) throw new Error(`tag create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function fieldsOf(body: { details?: Array<{ field: string }> }): string[] {
  return (body.details ?? []).map((d) => d.field).sort();
}
