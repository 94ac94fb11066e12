/** Moved to src/store (kept for modules not yet on StoreAdapter; remove with their last import). */
export { isUniqueViolation } from '../../store/unique-violation';
