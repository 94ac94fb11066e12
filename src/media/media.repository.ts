import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types, isValidObjectId } from 'mongoose';
import { MediaChunk } from './schemas/media-chunk.schema';
import { MediaFile } from './schemas/media-file.schema';

export interface MediaFileRecord {
  id: string;
  clientIdentifier: string;
  mimetype: string;
  filename?: string;
  size: number;
  sha256: string;
  chunkCount: number;
}

/** 255 KiB, as GridFS: small enough for any BSON limit, large enough to keep the count low. */
export const MEDIA_CHUNK_BYTES = 255 * 1024;

function toRecord(doc: MediaFile & { _id: unknown }): MediaFileRecord {
  return {
    id: String(doc._id),
    clientIdentifier: doc.clientIdentifier,
    mimetype: doc.mimetype,
    filename: doc.filename,
    size: doc.size,
    sha256: doc.sha256,
    chunkCount: doc.chunkCount,
  };
}

/** The media_files and media_chunks collections. */
@Injectable()
export class MediaRepository implements OnModuleInit {
  constructor(
    @InjectModel(MediaFile.name) private readonly files: Model<MediaFile>,
    @InjectModel(MediaChunk.name) private readonly chunks: Model<MediaChunk>,
  ) {}

  /** Indexes exist before the first write (the unique chunk index keeps files whole). */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.files.init(), this.chunks.init()]);
  }

  /** Chunks first, the file document last: a reader never sees a file whose bytes are partial. */
  async insert(clientIdentifier: string, data: Buffer, meta: Omit<MediaFile, 'clientIdentifier' | 'size' | 'chunkCount' | 'createdAt'>): Promise<MediaFileRecord> {
    const fileId = new Types.ObjectId();
    const parts: { _id: string; fileId: Types.ObjectId; n: number; data: Buffer }[] = [];
    for (let offset = 0, n = 0; offset < data.length || n === 0; offset += MEDIA_CHUNK_BYTES, n++) {
      parts.push({ _id: `${fileId.toHexString()}:${n}`, fileId, n, data: data.subarray(offset, offset + MEDIA_CHUNK_BYTES) });
    }
    // A few chunks per write keeps each insert well below the 16 MiB message limit.
    for (let i = 0; i < parts.length; i += 16) await this.chunks.insertMany(parts.slice(i, i + 16), { ordered: true });
    const doc = await this.files.create({ _id: fileId, clientIdentifier, ...meta, size: data.length, chunkCount: parts.length });
    return toRecord(doc.toObject());
  }

  async findFile(clientIdentifier: string, mediaId: string): Promise<MediaFileRecord | undefined> {
    if (!isValidObjectId(mediaId)) return undefined;
    // By _id alone (the only filter FerretDB serves from an index), the account checked here.
    const doc = await this.files.findOne({ _id: mediaId }).lean();
    return doc && doc.clientIdentifier === clientIdentifier ? toRecord(doc) : undefined;
  }

  /** System-level: for the signed media route, where the signature is the authorisation. */
  async findFileForSignedLink(mediaId: string): Promise<MediaFileRecord | undefined> {
    if (!isValidObjectId(mediaId)) return undefined;
    const doc = await this.files.findById(mediaId).lean();
    return doc ? toRecord(doc) : undefined;
  }

  /** The bytes of a file found through findFile/findFileForSignedLink (so already tenant-checked). */
  async readBytes(file: MediaFileRecord): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let n = 0; n < file.chunkCount; n++) {
      const chunk = await this.chunks.findOne({ _id: `${file.id}:${n}` }).lean();
      if (!chunk) throw new Error(`media ${file.id}: chunk ${n} of ${file.chunkCount} is missing`);
      parts.push(Buffer.from((chunk.data as unknown as { buffer?: Uint8Array }).buffer ?? chunk.data));
    }
    const data = Buffer.concat(parts);
    if (data.length !== file.size) throw new Error(`media ${file.id}: ${data.length} bytes read, ${file.size} stored`);
    return data;
  }
}
