import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { isValidObjectId } from 'mongoose';
import { AppError, CommonErrorCode } from '../errors/app-error';

export const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/i;

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID_PATTERN.test(value) && isValidObjectId(value);
}

/** Path ids must be 24-hex ObjectIds: a malformed one is the caller's 400, not our 500. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!isObjectId(value)) {
      const field = meta.data ?? 'id';
      throw AppError.badRequest(CommonErrorCode.INVALID_ID, `${field} must be a 24-character hex id`, [
        { field, messages: [`${field} must be a 24-character hex id`] },
      ]);
    }
    return value;
  }
}
