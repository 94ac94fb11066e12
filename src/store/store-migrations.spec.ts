import type { Connection } from 'mongoose';
import { StoreMigrations } from './store-migrations';

/** A connection whose marker collection has no marker yet and answers the marker write with `outcome`. */
function connectionWhoseMarkerWrite(outcome: () => Promise<unknown>): Connection {
  const markers = { findOne: () => Promise.resolve(null), updateOne: outcome };
  return { collection: () => markers } as unknown as Connection;
}

describe('StoreMigrations.runOnce', () => {
  it('counts the migration as done when another process wrote the marker first (E11000 on the upsert)', async () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key error collection: db.store_migrations'), { code: 11000 });
    const sut = new StoreMigrations(connectionWhoseMarkerWrite(() => Promise.reject(duplicate)));
    await expect(sut.runOnce('m', () => Promise.resolve(3))).resolves.toBe(3);
  });

  it('fails on any other error of the marker write', async () => {
    const sut = new StoreMigrations(connectionWhoseMarkerWrite(() => Promise.reject(new Error('connection closed'))));
    await expect(sut.runOnce('m', () => Promise.resolve(3))).rejects.toThrow('connection closed');
  });
});
