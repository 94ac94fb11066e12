import type { DynamicModule, FactoryProvider, InjectionToken, ModuleMetadata, OptionalFactoryDependency, Provider } from '@nestjs/common';
import type { OmnichannelConfig } from './core/config';
import { OmnichannelClient } from './core/http-client';
import { API_CLASSES } from './apis';

/** Options of `OmnichannelModule.forRoot()`: the client configuration (omitted fields fall back to configure() and the environment). */
export interface OmnichannelModuleOptions extends Partial<OmnichannelConfig> {
  /** Register the module globally (default true), so feature modules need not import it. */
  isGlobal?: boolean;
}

export interface OmnichannelModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: any[]) => Partial<OmnichannelConfig> | Promise<Partial<OmnichannelConfig>>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  isGlobal?: boolean;
}

/** Token of the resolved options (mostly for tests and advanced wiring). */
export const OMNICHANNEL_OPTIONS = 'OMNICHANNEL_OPTIONS';

/**
 * NestJS wiring: `imports: [OmnichannelModule.forRoot({ baseUrl, apiKey })]`, then
 * `constructor(private readonly setupApi: SetupApi) {}` as in the guide. The API classes are
 * registered by class (factory providers), so the SDK needs no Nest decorator at import time and
 * @nestjs/common stays an optional peer dependency.
 */
export class OmnichannelModule {
  static forRoot(options: OmnichannelModuleOptions = {}): DynamicModule {
    const { isGlobal, ...config } = options;
    return build({ provide: OMNICHANNEL_OPTIONS, useValue: config }, isGlobal);
  }

  static forRootAsync(options: OmnichannelModuleAsyncOptions): DynamicModule {
    const optionsProvider: FactoryProvider = { provide: OMNICHANNEL_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return { ...build(optionsProvider, options.isGlobal), imports: options.imports ?? [] };
  }
}

function build(optionsProvider: Provider, isGlobal = true): DynamicModule {
  const clientProvider: FactoryProvider = {
    provide: OmnichannelClient,
    useFactory: (config: Partial<OmnichannelConfig>) => new OmnichannelClient(config),
    inject: [OMNICHANNEL_OPTIONS],
  };
  const apis: FactoryProvider[] = API_CLASSES.map((Api) => ({
    provide: Api,
    useFactory: (client: OmnichannelClient) => new Api(client),
    inject: [OmnichannelClient],
  }));
  return {
    module: OmnichannelModule,
    global: isGlobal,
    providers: [optionsProvider, clientProvider, ...apis],
    exports: [OmnichannelClient, ...API_CLASSES],
  };
}
