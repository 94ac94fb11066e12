/** Moved to src/store (kept for modules not yet on StoreAdapter; remove with their last import). */
export { isBusy, retryWhileBusy } from '../../store/transient-retry';
