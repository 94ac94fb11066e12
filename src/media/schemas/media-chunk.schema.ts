import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * A slice of a media file's bytes (GridFS-like, on plain collections so FerretDB serves it too). Its `_id`
 * is `<fileId>:<n>`: chunks are read one by one by `_id`, the only lookup FerretDB serves from an index.
 */
@Schema({ collection: 'media_chunks', timestamps: false, versionKey: false })
export class MediaChunk {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  fileId!: Types.ObjectId;

  /** Position of the chunk, from 0. */
  @Prop({ required: true })
  n!: number;

  @Prop({ type: Buffer, required: true })
  data!: Buffer;
}

export const MediaChunkSchema = SchemaFactory.createForClass(MediaChunk);
MediaChunkSchema.index({ fileId: 1, n: 1 });
