/** Moved to src/store (kept for modules not yet moved; remove with their last import). */
export { Batcher } from '../../store/batcher';
