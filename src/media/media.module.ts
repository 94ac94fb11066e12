import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MediaController } from './media.controller';
import { MediaRepository } from './media.repository';
import { MediaStore } from './media.store';
import { MediaChunk, MediaChunkSchema } from './schemas/media-chunk.schema';
import { MediaFile, MediaFileSchema } from './schemas/media-file.schema';

/** Stored media (chunked in MongoDB) and its signed download route. Import it to use MediaStore. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: MediaFile.name, schema: MediaFileSchema },
      { name: MediaChunk.name, schema: MediaChunkSchema },
    ]),
  ],
  controllers: [MediaController],
  providers: [MediaRepository, MediaStore],
  exports: [MediaStore],
})
export class MediaModule {}
