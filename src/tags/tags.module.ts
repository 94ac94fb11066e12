import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Tag, TagSchema } from './schemas/tag.schema';
import { TagHooks } from './tag-hooks';
import { TagsController } from './tags.controller';
import { TagsRepository } from './tags.repository';
import { TagsService } from './tags.service';

/** Tags (SDK guide 3.1 to 3.5). Contacts of a tag (3.6) are served by the contacts module. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Tag.name, schema: TagSchema }])],
  controllers: [TagsController],
  providers: [TagsRepository, TagsService, TagHooks],
  exports: [TagsService, TagHooks],
})
export class TagsModule {}
