import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { AppError } from './app-error';

function host(reqId = 'req-123') {
  const res = {
    statusCode: 0,
    body: undefined as unknown,
    headersSent: false,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const req = { id: reqId, path: '/x', headers: {} };
  const h = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  return { h, res };
}

describe('AllExceptionsFilter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('renders AppError with its status, code and details', () => {
    const { h, res } = host();
    new AllExceptionsFilter().catch(AppError.conflict('TAG_NAME_TAKEN', 'taken', { name: 'vip' }), h);
    expect(res.statusCode).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, code: 'TAG_NAME_TAKEN', message: 'taken', details: { name: 'vip' }, requestId: 'req-123' });
  });

  it('turns an unknown error into a generic 500 without the stack or message', () => {
    const { h, res } = host();
    const err = new Error('connection string mongodb://user:secret@db leaked');
    new AllExceptionsFilter().catch(err, h);
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: 'req-123' });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(Logger.prototype.error).toHaveBeenCalled();
  });

  it('maps Mongoose cast errors to 400 INVALID_ID and duplicate keys to 409', () => {
    const a = host();
    new AllExceptionsFilter().catch(Object.assign(new Error('cast'), { name: 'CastError', path: '_id' }), a.h);
    expect(a.res.statusCode).toBe(400);
    expect((a.res.body as { code: string }).code).toBe('INVALID_ID');
    const b = host();
    new AllExceptionsFilter().catch(Object.assign(new Error('E11000'), { code: 11000 }), b.h);
    expect(b.res.statusCode).toBe(409);
  });

  it('keeps the meaning of body-parser errors wrapped by Nest', () => {
    const { h, res } = host();
    const cause = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 });
    new AllExceptionsFilter().catch(new BadRequestException('Unexpected token', { cause }), h);
    expect((res.body as { code: string }).code).toBe('INVALID_JSON');
  });
});
