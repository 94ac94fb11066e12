import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A label an account puts on contacts (SDK guide 3). */
@Schema({ collection: 'tags', timestamps: true })
export class Tag {
  @Prop({ required: true })
  clientIdentifier!: string;

  @Prop({ required: true })
  name!: string;

  /**
   * The name folded for uniqueness (case-insensitive). FerretDB has no collation, so the
   * unique index is on this stored key rather than on `name` with a collation.
   */
  @Prop({ required: true })
  nameKey!: string;

  /** `#rrggbb` or `#rgb`, lower case. */
  @Prop({ required: true })
  color!: string;

  createdAt!: Date;
  updatedAt!: Date;
}

export const TagSchema = SchemaFactory.createForClass(Tag);
TagSchema.index({ clientIdentifier: 1, nameKey: 1 }, { unique: true });
TagSchema.index({ clientIdentifier: 1, _id: 1 });
