import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { AuthSnapshots } from './auth-snapshots';
import { PROFILE_AUTH_DIRS } from './profile-archive';

/** Chromium writes what the page stored to disk a few seconds later (about 5 s measured): save after that. */
const SETTLE_MS = 10_000;
/** While READY, WhatsApp Web keeps updating its keys: saved this often (an unchanged state costs a hash). */
const REFRESH_MS = 5 * 60_000;

interface Kept {
  clientIdentifier: string;
  profileDir: string;
  timer?: NodeJS.Timeout;
  saving?: Promise<void>;
}

/**
 * Keeps each WhatsApp Web link in the database (SESSION_AUTH_STORE=database, the default), so that any
 * process on any machine restores it: restored before a browser starts, unless this machine's copy is
 * newer; saved once a session has been READY (after the browser wrote it), every few minutes while it
 * runs, and when it stops here; deleted with the link (logout, unlink, channel deleted). Only a session
 * that reached READY in this process is ever saved: a profile waiting for a QR must not replace a link.
 * With SESSION_AUTH_STORE=local every method does nothing and the link lives in DATA_DIR only.
 */
@Injectable()
export class LinkKeeper implements OnApplicationShutdown {
  private readonly logger = new Logger(LinkKeeper.name);
  private readonly kept = new Map<string, Kept>();
  private readonly enabled: boolean;

  constructor(
    private readonly snapshots: AuthSnapshots,
    config: AppConfig,
  ) {
    this.enabled = config.whatsapp.authStore === 'database';
  }

  /** Before a browser starts on `profileDir`: put the stored link there, unless the local one is newer. */
  async prepare(channelId: string, profileDir: string): Promise<void> {
    if (!this.enabled) return;
    try {
      const storedAt = await this.snapshots.storedAt(channelId);
      if (!storedAt) return;
      const local = await newestMtime(PROFILE_AUTH_DIRS.map((d) => join(profileDir, d)));
      if (local !== undefined && local > storedAt.getTime()) return;
      const result = await this.snapshots.restore(channelId, profileDir);
      if (result.restored) this.logger.log({ channelId, bytes: result.bytes, ms: result.ms }, 'Restored the WhatsApp Web link from the database');
    } catch (err) {
      // The local profile (if any) is used as it is: a QR at worst, never a failed start.
      this.logger.warn({ err, channelId }, 'Could not restore the stored WhatsApp Web link');
    }
  }

  /** The session is READY here: save once the browser has settled, then periodically. */
  ready(channelId: string, clientIdentifier: string, profileDir: string): void {
    if (!this.enabled) return;
    this.cancel(channelId);
    const entry: Kept = { clientIdentifier, profileDir };
    this.kept.set(channelId, entry);
    const every = (ms: number) => {
      entry.timer = setTimeout(() => {
        void this.save(channelId, entry).finally(() => {
          if (this.kept.get(channelId) === entry) every(REFRESH_MS);
        });
      }, ms);
      entry.timer.unref();
    };
    every(SETTLE_MS);
  }

  /** Stopped here (browser closed, files final): the last save, if the session was READY here. */
  async stopped(channelId: string): Promise<void> {
    const entry = this.kept.get(channelId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.kept.delete(channelId);
    await entry.saving;
    await this.save(channelId, entry);
  }

  /** Another process runs the session now (lease lost): its copy is the truth, nothing is saved from here. */
  cancel(channelId: string): void {
    const entry = this.kept.get(channelId);
    if (entry) clearTimeout(entry.timer);
    this.kept.delete(channelId);
  }

  /** The link is gone (logout, unlinked by the phone, channel deleted): so is its stored copy. */
  async forget(channelId: string): Promise<void> {
    const entry = this.kept.get(channelId);
    this.cancel(channelId);
    if (!this.enabled) return;
    await entry?.saving;
    await this.snapshots.remove(channelId).catch((err: unknown) => this.logger.warn({ err, channelId }, 'Could not delete the stored WhatsApp Web link'));
  }

  private save(channelId: string, entry: Kept): Promise<void> {
    entry.saving = this.snapshots
      .save(channelId, entry.clientIdentifier, entry.profileDir)
      .then((r) => {
        if (r.saved) this.logger.log({ channelId, bytes: r.bytes, ms: r.ms }, 'Saved the WhatsApp Web link to the database');
      })
      .catch((err: unknown) => this.logger.warn({ err, channelId }, 'Could not save the WhatsApp Web link; the next save retries'));
    return entry.saving;
  }

  onApplicationShutdown(): void {
    for (const entry of this.kept.values()) clearTimeout(entry.timer);
  }
}

async function newestMtime(dirs: string[]): Promise<number | undefined> {
  let newest: number | undefined;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile() && e.name !== 'LOCK' && !e.name.startsWith('LOG')) {
        const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: 0 }));
        newest = Math.max(newest ?? 0, mtimeMs);
      }
    }
  };
  for (const dir of dirs) await walk(dir);
  return newest;
}
