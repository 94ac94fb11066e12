/** Folds a tag name for the case-insensitive uniqueness check ("Cliente  VIP" = "cliente vip"). */
export function tagNameKey(name: string): string {
  return cleanTagName(name).toLocaleLowerCase('en-US');
}

/** The name as stored: Unicode NFC, trimmed, inner runs of spaces collapsed. */
export function cleanTagName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
