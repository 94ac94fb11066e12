import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { Connections } from './connections';

/** Mongoose on MONGODB_URI or the embedded FerretDB. */
@Module({})
export class DatabaseModule {
  static forRoot(connections: Connections): DynamicModule {
    // Operators smuggled in request data are refused by operatorInjectionMiddleware and DTO
    // types; sanitizeFilter would also rewrite our own $exists/$in filters, so it stays off.
    mongoose.set('strictQuery', true);
    return {
      module: DatabaseModule,
      imports: [
        MongooseModule.forRoot(connections.mongodbUri, {
          // FerretDB 1.24 has no transactions or retryable writes over SQLite.
          retryWrites: false,
          serverSelectionTimeoutMS: 10_000,
          autoIndex: true,
        }),
      ],
    };
  }
}
