import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One stored media file (sent by us or downloaded from WhatsApp). Written AFTER all its
 * chunks, so a file document always means the bytes are complete.
 */
@Schema({ collection: 'media_files', timestamps: { createdAt: true, updatedAt: false } })
export class MediaFile {
  @Prop({ required: true, index: true })
  clientIdentifier!: string;

  @Prop({ required: true })
  mimetype!: string;

  @Prop()
  filename?: string;

  @Prop({ required: true })
  size!: number;

  @Prop({ required: true })
  sha256!: string;

  @Prop({ required: true })
  chunkCount!: number;

  createdAt?: Date;
}

export const MediaFileSchema = SchemaFactory.createForClass(MediaFile);
