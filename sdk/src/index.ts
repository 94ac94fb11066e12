/** Node entry: everything, including the NestJS module. Browsers get ./browser (same without Nest). */
export * from './browser';
export { OmnichannelModule, OMNICHANNEL_OPTIONS } from './nest';
export type { OmnichannelModuleOptions, OmnichannelModuleAsyncOptions } from './nest';
