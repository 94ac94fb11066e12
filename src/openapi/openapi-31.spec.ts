import { toOpenApi31 } from './openapi-31';
import type { OpenApiDocument } from './openapi-types';

describe('toOpenApi31', () => {
  const doc = (schemas: Record<string, unknown>) => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } }) as unknown as OpenApiDocument;

  it('turns a nullable scalar into a type with null', () => {
    const d = doc({ A: { type: 'object', properties: { at: { type: 'string', nullable: true } } } });
    toOpenApi31(d);
    expect(d.openapi).toBe('3.1.0');
    expect((d.components!.schemas!.A as { properties: { at: unknown } }).properties.at).toEqual({ type: ['string', 'null'] });
  });

  it('turns a nullable reference (bare or in allOf) into anyOf the reference or null, keeping its description', () => {
    const d = doc({
      A: {
        type: 'object',
        properties: {
          chat: { type: 'object', nullable: true, description: 'd', allOf: [{ $ref: '#/components/schemas/C' }] },
          other: { nullable: true, $ref: '#/components/schemas/C' },
        },
      },
    });
    toOpenApi31(d);
    const props = (d.components!.schemas!.A as { properties: Record<string, unknown> }).properties;
    expect(props.chat).toEqual({ description: 'd', anyOf: [{ allOf: [{ $ref: '#/components/schemas/C' }] }, { type: 'null' }] });
    expect(props.other).toEqual({ anyOf: [{ $ref: '#/components/schemas/C' }, { type: 'null' }] });
  });
});
