import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AUTH_SNAPSHOTS_BUCKET } from './auth-snapshot.schemas';
import { contentHash, extractProfile, packFiles, readProfileFiles } from './profile-archive';
import { SnapshotCipher } from './snapshot-cipher';

/** What each stored snapshot carries besides its bytes (GridFS `metadata`). */
export interface AuthSnapshotMetadata {
  clientIdentifier: string;
  /** contentHash of the profile files it holds: an unchanged profile is not written again. */
  hash: string;
  /** Stored (encrypted) bytes. */
  bytes: number;
  /** The key it is encrypted with: a snapshot under an old key is rewritten on the next save. */
  keyId: string;
  files: number;
  /** The files' bytes before compression. */
  contentBytes: number;
}

export interface AuthSnapshotSaveResult {
  saved: boolean;
  /** Bytes written, or the stored snapshot's size when nothing changed (0 when the profile holds no link). */
  bytes: number;
  ms: number;
}

export interface AuthSnapshotRestoreResult {
  restored: boolean;
  bytes: number;
  ms: number;
}

type SnapshotFile = mongo.GridFSFile & { metadata?: Partial<AuthSnapshotMetadata> };

/**
 * A WhatsApp Web session's link (its profile's localStorage and IndexedDB, see profile-archive) kept in
 * MongoDB with GridFS, encrypted, one current snapshot per channel (the file name is the channel id),
 * so any server process can restore a session without a QR.
 *
 * Written for MongoDB and FerretDB 1.24 alike: the bucket only inserts (chunks, then the file document
 * last, so a reader never sees a partial file), finds by top-level equality on `filename` / `files_id`
 * (what FerretDB sends to PostgreSQL, served there by the GIN indexes that auth-snapshot.schemas.ts
 * declares) and deletes by `_id` / `files_id`. Nothing depends on transactions or isolation.
 */
@Injectable()
export class AuthSnapshots {
  private bucketRef?: mongo.GridFSBucket;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly cipher: SnapshotCipher,
  ) {}

  /**
   * Stores the profile's auth state when it differs from the stored snapshot (or that one is under an
   * old key). The new file is complete before older ones are deleted, so a crash in between leaves
   * two snapshots, never none. A profile without auth state leaves what is stored alone.
   */
  async save(channelId: string, clientIdentifier: string, profileDir: string): Promise<AuthSnapshotSaveResult> {
    const started = performance.now();
    const files = await readProfileFiles(profileDir);
    if (files.length === 0) return { saved: false, bytes: 0, ms: since(started) };
    // Compared before packing: the common case (nothing changed) costs a read and a hash, no gzip.
    const hash = contentHash(files);
    const newest = (await this.filesOf(channelId))[0];
    if (newest?.metadata?.hash === hash && newest.metadata.keyId === this.cipher.currentKeyId) {
      return { saved: false, bytes: newest.length, ms: since(started) };
    }
    const blob = this.cipher.encrypt(await packFiles(files), channelId);
    const metadata: AuthSnapshotMetadata = {
      clientIdentifier,
      hash,
      bytes: blob.length,
      keyId: this.cipher.currentKeyId,
      files: files.length,
      contentBytes: files.reduce((n, f) => n + f.data.length, 0),
    };
    await pipeline(Readable.from([blob]), this.bucket().openUploadStream(channelId, { metadata }));
    await this.prune(channelId);
    return { saved: true, bytes: blob.length, ms: since(started) };
  }

  /**
   * Replaces the profile's auth directories with the newest stored snapshot. Call it with the browser
   * of that profile stopped. Throws AuthSnapshotUnreadableError when the snapshot cannot be decrypted
   * (PROVIDER_CREDENTIALS_KEY differs from the saver's) and UnsafeArchiveError on a malformed archive;
   * the profile is untouched in both cases.
   */
  async restore(channelId: string, profileDir: string): Promise<AuthSnapshotRestoreResult> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const newest = (await this.filesOf(channelId))[0];
      if (!newest) return { restored: false, bytes: 0, ms: since(started) };
      let blob: Buffer;
      try {
        blob = await this.download(newest._id);
      } catch (err) {
        // A save elsewhere may have replaced it between the listing and the read: read the newer one.
        const now = (await this.filesOf(channelId))[0];
        if (attempt < 3 && !now?._id.equals(newest._id)) continue;
        throw err;
      }
      await extractProfile(this.cipher.decrypt(blob, channelId), profileDir);
      return { restored: true, bytes: blob.length, ms: since(started) };
    }
  }

  /** Deletes every snapshot of the channel (the phone logged out, or the channel is gone). */
  async remove(channelId: string): Promise<void> {
    for (const file of await this.filesOf(channelId)) await this.deleteFile(file._id);
  }

  async has(channelId: string): Promise<boolean> {
    return (await this.filesOf(channelId)).length > 0;
  }

  /** When the newest snapshot of the channel was stored, if any. */
  async storedAt(channelId: string): Promise<Date | undefined> {
    return (await this.filesOf(channelId))[0]?.uploadDate;
  }

  /**
   * Every snapshot of the channel, newest first. Sorted here: uploadDate has millisecond resolution, and
   * two processes pruning at once must agree on which one is newest (ties go to the higher `_id`).
   */
  private async filesOf(channelId: string): Promise<SnapshotFile[]> {
    const files = (await this.bucket().find({ filename: channelId }).toArray()) as SnapshotFile[];
    return files.sort((a, b) => b.uploadDate.getTime() - a.uploadDate.getTime() || b._id.toHexString().localeCompare(a._id.toHexString()));
  }

  /** Keeps the newest snapshot only. Whoever prunes keeps the same one, so concurrent saves never leave none. */
  private async prune(channelId: string): Promise<void> {
    for (const file of (await this.filesOf(channelId)).slice(1)) await this.deleteFile(file._id);
  }

  /**
   * What GridFSBucket.delete does (the file document first, so readers stop finding it, then its chunks),
   * without its error when the file is already gone: another process pruning the same channel.
   */
  private async deleteFile(id: mongo.ObjectId): Promise<void> {
    const db = this.db();
    await db.collection(`${AUTH_SNAPSHOTS_BUCKET}.files`).deleteOne({ _id: id });
    await db.collection(`${AUTH_SNAPSHOTS_BUCKET}.chunks`).deleteMany({ files_id: id });
  }

  private async download(id: mongo.ObjectId): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of this.bucket().openDownloadStream(id)) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  private bucket(): mongo.GridFSBucket {
    this.bucketRef ??= new mongo.GridFSBucket(this.db(), { bucketName: AUTH_SNAPSHOTS_BUCKET });
    return this.bucketRef;
  }

  private db(): mongo.Db {
    const db = this.connection.db;
    if (!db) throw new Error('the MongoDB connection is not open yet');
    return db;
  }
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
