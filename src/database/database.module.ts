import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { Connections } from './connections';
import { GinIndexService } from './gin-index.service';

/** Mongoose on MONGODB_URI or the embedded FerretDB (plus its GIN indexes on PostgreSQL). */
@Module({})
export class DatabaseModule {
  static forRoot(connections: Connections): DynamicModule {
    // Operators smuggled in request data are refused by operatorInjectionMiddleware and DTO
    // types; sanitizeFilter would also rewrite our own $exists/$in filters, so it stays off.
    mongoose.set('strictQuery', true);
    return {
      module: DatabaseModule,
      // Global: StoreModule reads Connections (FerretDB's PostgreSQL for the SQL-paged lists).
      global: true,
      imports: [
        MongooseModule.forRoot(connections.mongodbUri, {
          // FerretDB 1.24 has no transactions or retryable writes.
          retryWrites: false,
          serverSelectionTimeoutMS: 10_000,
          autoIndex: true,
        }),
      ],
      providers: [{ provide: Connections, useValue: connections }, GinIndexService],
      exports: [GinIndexService, Connections],
    };
  }
}
