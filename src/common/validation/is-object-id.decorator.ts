import { ValidationOptions, registerDecorator } from 'class-validator';
import { isObjectId } from './parse-object-id.pipe';

/** DTO field (or each element, with `each: true`) must be a 24-hex ObjectId. */
export function IsObjectIdString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isObjectIdString',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a 24-character hex id`, ...options },
      validator: { validate: (value: unknown) => isObjectId(value) },
    });
}
