import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

/** An account's API key. Only the SHA-256 of the key is stored; the key is shown once. */
@Schema({ collection: 'api_keys', timestamps: true })
export class ApiKey {
  @Prop({ required: true, unique: true })
  keyHash!: string;

  /** First characters of the key, so an operator can tell keys apart. */
  @Prop({ required: true })
  prefix!: string;

  @Prop({ required: true, index: true })
  clientIdentifier!: string;

  @Prop()
  name?: string;

  @Prop()
  revokedAt?: Date;

  createdAt?: Date;
}

export type ApiKeyDocument = HydratedDocument<ApiKey>;
export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);
