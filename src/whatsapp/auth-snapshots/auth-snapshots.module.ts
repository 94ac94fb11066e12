import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import {
  AUTH_SNAPSHOT_CHUNK_MODEL,
  AUTH_SNAPSHOT_FILE_MODEL,
  AuthSnapshotChunkSchema,
  AuthSnapshotFileSchema,
} from './auth-snapshot.schemas';
import { AuthSnapshots } from './auth-snapshots';
import { SnapshotCipher } from './snapshot-cipher';

/**
 * WhatsApp Web links kept in MongoDB (GridFS, encrypted). Needs the root Mongoose connection and
 * AppConfig (both global); the models are registered only for their index declarations.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AUTH_SNAPSHOT_FILE_MODEL, schema: AuthSnapshotFileSchema },
      { name: AUTH_SNAPSHOT_CHUNK_MODEL, schema: AuthSnapshotChunkSchema },
    ]),
  ],
  providers: [AuthSnapshots, SnapshotCipher],
  exports: [AuthSnapshots],
})
export class AuthSnapshotsModule {}
