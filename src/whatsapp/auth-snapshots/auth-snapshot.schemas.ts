import { Schema } from 'mongoose';

/** GridFS bucket of the snapshots: collections `authSnapshots.files` and `authSnapshots.chunks`. */
export const AUTH_SNAPSHOTS_BUCKET = 'authSnapshots';

/**
 * The bucket's two collections as Mongoose models, never read or written through Mongoose (GridFSBucket
 * does that). They exist for their index declarations, which are exactly the ones GridFS creates itself
 * (same keys, same options, so MongoDB sees one index each): on FerretDB over PostgreSQL the GIN index
 * service derives its indexes from registered models, and without a GIN index on `files_id` every
 * restore would make PostgreSQL detoast every chunk of every channel to find one snapshot's chunks
 * (FerretDB sends `files_id` equality to SQL as `@>`, which btree indexes cannot serve).
 */
export const AuthSnapshotFileSchema = new Schema(
  {
    filename: String,
    uploadDate: Date,
    length: Number,
    chunkSize: Number,
    metadata: Schema.Types.Mixed,
  },
  { collection: `${AUTH_SNAPSHOTS_BUCKET}.files`, versionKey: false, strict: false },
);
AuthSnapshotFileSchema.index({ filename: 1, uploadDate: 1 });

export const AuthSnapshotChunkSchema = new Schema(
  {
    files_id: Schema.Types.ObjectId,
    n: Number,
    data: Buffer,
  },
  { collection: `${AUTH_SNAPSHOTS_BUCKET}.chunks`, versionKey: false, strict: false },
);
AuthSnapshotChunkSchema.index({ files_id: 1, n: 1 }, { unique: true });

export const AUTH_SNAPSHOT_FILE_MODEL = 'AuthSnapshotFile';
export const AUTH_SNAPSHOT_CHUNK_MODEL = 'AuthSnapshotChunk';
