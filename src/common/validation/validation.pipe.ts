import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, CommonErrorCode, FieldProblem } from '../errors/app-error';

/** Flattens nested class-validator errors into `{ field: 'a.b[0].c', messages }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    if (e.constraints) out.push({ field, messages: Object.values(e.constraints) });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** Global pipe: unknown fields refused, types transformed, one 400 listing each bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.map((d) => d.messages[0]).slice(0, 3).join('; ');
      return AppError.badRequest(CommonErrorCode.VALIDATION_FAILED, `Validation failed: ${summary}`, details);
    },
  });
}
