import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { TagsModule } from '../tags/tags.module';
import { ContactHooks } from './contact-hooks';
import { ContactTagsService } from './contact-tags.service';
import { ContactsController } from './contacts.controller';
import { ContactNameTokensBackfill } from './contact-name-tokens.backfill';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';
import { Contact, ContactSchema } from './schemas/contact.schema';
import { TagContactsController } from './tag-contacts.controller';

/** Contacts (SDK guide 2) and the contacts of a tag (3.6). */
@Module({
  imports: [MongooseModule.forFeature([{ name: Contact.name, schema: ContactSchema }]), ChannelsModule, TagsModule],
  controllers: [ContactsController, TagContactsController],
  providers: [ContactsRepository, ContactsService, ContactTagsService, ContactNameTokensBackfill, ContactHooks],
  exports: [ContactsService, ContactHooks],
})
export class ContactsModule {}
