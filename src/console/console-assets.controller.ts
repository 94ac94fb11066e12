import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Public } from '../common/auth/auth.decorators';
import { AppError, CommonErrorCode } from '../common/errors/app-error';
import { ConsoleErrorCode } from './console.errors';

/**
 * Where `npm run build:console` writes the page: dist/console-web at the repository root, the
 * same path from src/console (tests) and dist/console (production).
 */
export const CONSOLE_ASSETS_DIR = resolve(__dirname, '..', '..', 'dist', 'console-web');
const ASSET_NAME = /^[A-Za-z0-9_.-]+\.(js|css|svg|png|ico|woff2)$/;

/**
 * The console's static files. Public: they hold no data (every call they make needs the session).
 * Hashed file names, so assets are cached for a year and the page itself never.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleAssetsController {
  @Get()
  index(@Res() res: Response): void {
    const file = join(CONSOLE_ASSETS_DIR, 'index.html');
    if (!existsSync(file))
      throw AppError.notFound(ConsoleErrorCode.CONSOLE_NOT_BUILT, 'The console is not built: run `npm run build` (or scripts/setup.sh)');
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(file);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const file = join(CONSOLE_ASSETS_DIR, 'assets', name);
    if (!ASSET_NAME.test(name) || !existsSync(file)) throw AppError.notFound(CommonErrorCode.ROUTE_NOT_FOUND, 'No such console asset');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(file);
  }
}
